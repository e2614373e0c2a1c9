/**
 * Puts a story's matches in input order: (subscription, slot) pairs sorted by subscription, where slot says
 * which matched query (and so which shared explanation) the subscription came from. A least-significant-digit
 * radix sort, 11 bits a pass (two passes up to 4 million subscriptions), costs a few microseconds for a
 * thousand matches where a comparison sort costs a hundred; short lists use insertion sort.
 */
const BITS = 11;
const BUCKETS = 1 << BITS;
const INSERTION_SORT_BELOW = 48;

export class MatchOrder {
  subscriptions = new Int32Array(1024);
  slots = new Int32Array(1024);
  count = 0;
  private spareSubscriptions = new Int32Array(1024);
  private spareSlots = new Int32Array(1024);
  private readonly buckets = new Int32Array(BUCKETS);

  /** Empties the list, keeping its buffers. */
  reset(): void {
    this.count = 0;
  }

  /** Room for `more` pairs after the ones already added. */
  reserve(more: number): void {
    const needed = this.count + more;
    if (needed <= this.subscriptions.length) return;
    const size = Math.max(needed, this.subscriptions.length * 2);
    const subscriptions = new Int32Array(size);
    subscriptions.set(this.subscriptions.subarray(0, this.count));
    const slots = new Int32Array(size);
    slots.set(this.slots.subarray(0, this.count));
    this.subscriptions = subscriptions;
    this.slots = slots;
    this.spareSubscriptions = new Int32Array(size);
    this.spareSlots = new Int32Array(size);
  }

  /** Sorts the pairs by subscription (subscriptions are distinct, so stability does not matter). */
  sort(largestSubscription: number): void {
    const { count } = this;
    if (count < INSERTION_SORT_BELOW) {
      this.insertionSort();
      return;
    }
    let from = this.subscriptions;
    let fromSlots = this.slots;
    let to = this.spareSubscriptions;
    let toSlots = this.spareSlots;
    const buckets = this.buckets;
    for (let shift = 0; shift === 0 || largestSubscription >>> shift > 0; shift += BITS) {
      buckets.fill(0);
      for (let i = 0; i < count; i++) (buckets[((from[i] as number) >>> shift) & (BUCKETS - 1)] as number)++;
      let total = 0;
      for (let b = 0; b < BUCKETS; b++) {
        const size = buckets[b] as number;
        buckets[b] = total;
        total += size;
      }
      for (let i = 0; i < count; i++) {
        const subscription = from[i] as number;
        const at = (buckets[(subscription >>> shift) & (BUCKETS - 1)] as number)++;
        to[at] = subscription;
        toSlots[at] = fromSlots[i] as number;
      }
      [from, to] = [to, from];
      [fromSlots, toSlots] = [toSlots, fromSlots];
    }
    // The sorted pairs are in `from`; keep them as the live buffers.
    this.spareSubscriptions = to;
    this.spareSlots = toSlots;
    this.subscriptions = from;
    this.slots = fromSlots;
  }

  private insertionSort(): void {
    const { subscriptions, slots, count } = this;
    for (let i = 1; i < count; i++) {
      const subscription = subscriptions[i] as number;
      const slot = slots[i] as number;
      let j = i - 1;
      while (j >= 0 && (subscriptions[j] as number) > subscription) {
        subscriptions[j + 1] = subscriptions[j] as number;
        slots[j + 1] = slots[j] as number;
        j--;
      }
      subscriptions[j + 1] = subscription;
      slots[j + 1] = slot;
    }
  }
}
