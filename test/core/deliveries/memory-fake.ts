import type {
  AlertedVersion,
  BandOwner,
  DeliveryMemory,
  Recipient,
} from '../../../functions/core/deliveries/control-ports.ts';

/** In-memory delivery control items, with the same rules as the DynamoDB adapter (first writer wins, sets). */
export class MemoryDeliveryMemory implements DeliveryMemory {
  readonly alerted = new Map<string, AlertedVersion>();
  readonly recipients = new Map<string, { headline: string; entries: Map<string, Recipient> }>();
  readonly groups = new Map<string, string>();
  readonly bands = new Map<string, BandOwner>();
  /** Fails the next recording calls while set. */
  failure: Error | undefined;

  async alertedAmong(keys: readonly string[]): Promise<ReadonlyMap<string, AlertedVersion>> {
    const found = new Map<string, AlertedVersion>();
    for (const key of keys) {
      const entry = this.alerted.get(key);
      if (entry !== undefined) found.set(key, entry);
    }
    return found;
  }

  async rememberAlerted(entries: readonly (AlertedVersion & { key: string })[]): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    for (const { key, ...entry } of entries) {
      const known = this.alerted.get(key);
      if (known === undefined || known.version < entry.version) this.alerted.set(key, entry);
    }
  }

  async addRecipients(storyId: string, headline: string, recipients: readonly Recipient[]): Promise<void> {
    if (this.failure !== undefined) throw this.failure;
    const story = this.recipients.get(storyId) ?? { headline, entries: new Map() };
    for (const recipient of recipients) story.entries.set(JSON.stringify(recipient), recipient);
    this.recipients.set(storyId, story);
  }

  async recipientsOf(storyId: string) {
    const story = this.recipients.get(storyId);
    return { headline: story?.headline ?? '', recipients: [...(story?.entries.values() ?? [])] };
  }

  async groupOf(storyId: string): Promise<string | undefined> {
    return this.groups.get(storyId);
  }

  async setGroup(storyId: string, group: string): Promise<string> {
    const known = this.groups.get(storyId);
    if (known !== undefined) return known;
    this.groups.set(storyId, group);
    return group;
  }

  async bandOwners(bands: readonly string[]): Promise<ReadonlyMap<string, BandOwner>> {
    const owners = new Map<string, BandOwner>();
    for (const band of bands) {
      const owner = this.bands.get(band);
      if (owner !== undefined) owners.set(band, owner);
    }
    return owners;
  }

  async claimBands(bands: readonly string[], owner: BandOwner): Promise<void> {
    for (const band of bands) if (!this.bands.has(band)) this.bands.set(band, owner);
  }
}
