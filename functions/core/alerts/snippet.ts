import type { Snippet } from '../matching/types.ts';

/** A piece of a snippet, highlighted (a query term matched there) or not. */
export interface SnippetSegment {
  readonly text: string;
  readonly highlighted: boolean;
}

/** Default longest snippet carried by a delivery job, in UTF-16 code units. */
export const MAX_SNIPPET_CHARS = 400;

const ELLIPSIS = '…';

/**
 * The highlights that are usable: integer offsets inside the text, non-empty, sorted and non-overlapping.
 * The matcher promises this; a job is third-party input on the queue, so it is checked again here.
 */
export function validHighlights(snippet: Snippet): [number, number][] {
  const result: [number, number][] = [];
  let previousEnd = 0;
  for (const [start, end] of snippet.highlights) {
    if (!Number.isInteger(start) || !Number.isInteger(end)) continue;
    if (start < previousEnd || end <= start || end > snippet.text.length) continue;
    result.push([start, end]);
    previousEnd = end;
  }
  return result;
}

/** Splits a snippet into plain and highlighted segments, in order; empty segments are left out. */
export function snippetSegments(snippet: Snippet): SnippetSegment[] {
  const segments: SnippetSegment[] = [];
  let position = 0;
  for (const [start, end] of validHighlights(snippet)) {
    if (start > position) segments.push({ text: snippet.text.slice(position, start), highlighted: false });
    segments.push({ text: snippet.text.slice(start, end), highlighted: true });
    position = end;
  }
  if (position < snippet.text.length)
    segments.push({ text: snippet.text.slice(position), highlighted: false });
  return segments;
}

/**
 * A snippet no longer than `maxChars`: a window that starts a little before the first highlight, with `…`
 * where text was cut, keeping only highlights that fit whole (offsets shifted to the new text).
 */
export function capSnippet(snippet: Snippet, maxChars: number = MAX_SNIPPET_CHARS): Snippet {
  const highlights = validHighlights(snippet);
  const { text } = snippet;
  if (text.length <= maxChars) return { text, highlights };

  const room = maxChars - 2 * ELLIPSIS.length;
  const firstStart = highlights[0]?.[0] ?? 0;
  let start = Math.max(0, Math.min(firstStart - Math.floor(room / 4), text.length - room));
  let end = Math.min(text.length, start + room);
  start = characterBoundary(text, start);
  end = characterBoundary(text, end);

  const prefix = start > 0 ? ELLIPSIS : '';
  const suffix = end < text.length ? ELLIPSIS : '';
  const shift = prefix.length - start;
  const kept = highlights
    .filter(([s, e]) => s >= start && e <= end)
    .map(([s, e]): [number, number] => [s + shift, e + shift]);
  return { text: `${prefix}${text.slice(start, end)}${suffix}`, highlights: kept };
}

/** Moves an offset that falls between the halves of a surrogate pair back to the pair's start. */
function characterBoundary(text: string, offset: number): number {
  const code = text.charCodeAt(offset);
  const isLowSurrogate = code >= 0xdc00 && code <= 0xdfff;
  return isLowSurrogate && offset > 0 ? offset - 1 : offset;
}
