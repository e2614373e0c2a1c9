/**
 * Snippets: the sentence around the first hit, trimmed on word boundaries to about
 * SNIPPET_TARGET characters around the hit, whitespace collapsed, with every hit inside marked.
 */
import type { StoryView } from './story-view.ts';
import { BREAK_BEFORE, type Token } from './text/tokenize.ts';
import { type Hit, type Snippet, STORY_FIELDS, type StoryField } from './types.ts';

/** Aim for snippets of about this many characters. */
export const SNIPPET_TARGET = 300;
/** How much of the window goes before the hit when the sentence is cut. */
const LEAD = 100;
const ELLIPSIS = '…';

/** The trimmed, whitespace-collapsed window of one sentence, shared by all matches that start in it. */
interface Window {
  readonly text: string;
  /** Source offset -> offset in `text`, for the source range [from, to]. */
  readonly from: number;
  readonly to: number;
  readonly offsets: readonly number[];
}

const OPENERS = new Set(['"', '“', '‘', "'", '(', '[', '«', '„']);
const CLOSERS = new Set(['.', '!', '?', '"', '”', '’', "'", ')', ']', '»', ':', ';', ',']);

function tokenAt(tokens: readonly Token[], offset: number): number {
  let low = 0;
  let high = tokens.length - 1;
  while (low < high) {
    const middle = (low + high + 1) >>> 1;
    if ((tokens[middle] as Token).start <= offset) low = middle;
    else high = middle - 1;
  }
  return low;
}

/** Token range [first, last] of the sentence holding token `at`. */
function sentenceOf(tokens: readonly Token[], at: number): { first: number; last: number } {
  let first = at;
  while (first > 0 && ((tokens[first] as Token).flags & BREAK_BEFORE) === 0) first--;
  let last = at;
  while (last + 1 < tokens.length && ((tokens[last + 1] as Token).flags & BREAK_BEFORE) === 0) last++;
  return { first, last };
}

function isSpaceCode(code: number): boolean {
  return code === 32 || code === 10 || code === 9 || code === 13 || code === 0xa0;
}

/**
 * The window text: runs of whitespace collapse to one space (none at the start). Built from slices of
 * the source, joined once, rather than a character at a time: the result is one flat string.
 */
function buildWindow(text: string, from: number, to: number, cutStart: boolean, cutEnd: boolean): Window {
  // A plain array, not an Int32Array: a typed array's separate backing store costs more to allocate and
  // collect than the few hundred numbers a window holds.
  const offsets: number[] = new Array(to - from + 1);
  const parts: string[] = cutStart ? [ELLIPSIS] : [];
  let length = cutStart ? ELLIPSIS.length : 0;
  let pendingSpace = false;
  let runStart = -1;
  for (let at = from; at < to; at++) {
    if (isSpaceCode(text.charCodeAt(at))) {
      if (runStart >= 0) {
        parts.push(text.slice(runStart, at));
        runStart = -1;
      }
      pendingSpace = length > 0;
      offsets[at - from] = length;
      continue;
    }
    if (pendingSpace) {
      parts.push(' ');
      length += 1;
      pendingSpace = false;
    }
    if (runStart < 0) runStart = at;
    offsets[at - from] = length;
    length += 1;
  }
  if (runStart >= 0) parts.push(text.slice(runStart, to));
  offsets[to - from] = length;
  if (cutEnd) parts.push(ELLIPSIS);
  return { text: parts.join(''), from, to, offsets };
}

// Module-level, not closures made per call: under tsx each closure is also named by Object.defineProperty.
function startOf(tokens: readonly Token[], token: number): number {
  return (tokens[token] as Token).start;
}

function endOf(tokens: readonly Token[], token: number): number {
  return (tokens[token] as Token).end;
}

/**
 * The window for a hit: its sentence; when that is longer than SNIPPET_TARGET, whole words from
 * about LEAD characters before the hit up to the target length, with ellipses where cut.
 */
function computeWindow(text: string, tokens: readonly Token[], hit: Hit): Window {
  const at = tokenAt(tokens, hit.start);
  const sentence = sentenceOf(tokens, at);
  let first = sentence.first;
  let last = sentence.last;
  if (endOf(tokens, last) - startOf(tokens, first) > SNIPPET_TARGET) {
    while (first < at && hit.start - startOf(tokens, first) > LEAD) first++;
    const hitLast = Math.max(at, tokenAt(tokens, Math.max(hit.start, hit.end - 1)));
    while (last > hitLast && endOf(tokens, last) - startOf(tokens, first) > SNIPPET_TARGET) last--;
    // A hit near the end of the sentence leaves budget unused: spend it before the hit.
    while (first > sentence.first && endOf(tokens, last) - startOf(tokens, first - 1) <= SNIPPET_TARGET)
      first--;
  }
  const cutStart = first > sentence.first;
  const cutEnd = last < sentence.last;
  let from = startOf(tokens, first);
  let to = endOf(tokens, last);
  // Keep the quote or bracket opening the sentence, the punctuation closing it, a possessive 's.
  if (!cutStart) while (from > 0 && OPENERS.has(text[from - 1] ?? '')) from--;
  if (text[to] === "'" || text[to] === '\u2019') {
    if (text[to + 1] === 's' || text[to + 1] === 'S') to += 2;
  }
  if (!cutEnd) while (to < text.length && CLOSERS.has(text[to] ?? '')) to++;
  return buildWindow(text, from, to, cutStart, cutEnd);
}

function sentenceWindow(view: StoryView, hit: Hit & { field: StoryField }): Window {
  const fieldIndex = STORY_FIELDS.indexOf(hit.field);
  const fieldView = view.fields[fieldIndex];
  const tokens = fieldView?.tokens ?? [];
  const text = fieldView?.text ?? '';
  if (tokens.length === 0) return buildWindow(text, hit.start, hit.end, false, false);
  const cacheKey = `${fieldIndex}:${hit.start}:${hit.end}`;
  const known = view.snippetWindows.get(cacheKey) as Window | undefined;
  if (known !== undefined) return known;
  const window = computeWindow(text, tokens, hit);
  view.snippetWindows.set(cacheKey, window);
  return window;
}

/**
 * The snippet for a match: the window around its first hit, with all its hits there highlighted.
 * Queries with the same hit list (one leaf) share one snippet.
 */
export function buildSnippet(view: StoryView, hits: readonly Hit[]): Snippet {
  const cached = view.snippetMemo.get(hits) as Snippet | undefined;
  if (cached !== undefined) return cached;
  const snippet = computeSnippet(view, hits);
  view.snippetMemo.set(hits, snippet);
  return snippet;
}

/**
 * For a match on metadata alone (`lang:es`, `subject:immigration`): the story's first sentence, nothing
 * highlighted (the hits say what matched).
 */
function openingSnippet(view: StoryView): Snippet {
  for (const field of ['headline', 'summary', 'body'] as const) {
    const tokens = view.fields[STORY_FIELDS.indexOf(field)]?.tokens ?? [];
    const first = tokens[0];
    if (first === undefined) continue;
    return {
      text: sentenceWindow(view, { term: '', field, start: first.start, end: first.end, text: '' }).text,
      highlights: [],
    };
  }
  return { text: '', highlights: [] };
}

function computeSnippet(view: StoryView, hits: readonly Hit[]): Snippet {
  const firstHit = hits[0];
  if (firstHit === undefined) return { text: '', highlights: [] };
  if (firstHit.field === 'metadata') return openingSnippet(view);
  const window = sentenceWindow(view, firstHit as Hit & { field: StoryField });
  const ranges: [number, number][] = [];
  for (const hit of hits) {
    if (hit.field !== firstHit.field || hit.end <= window.from || hit.start >= window.to) continue;
    const start = window.offsets[Math.max(hit.start, window.from) - window.from] ?? 0;
    const end = window.offsets[Math.min(hit.end, window.to) - window.from] ?? 0;
    if (end > start) ranges.push([start, end]);
  }
  ranges.sort((a, b) => a[0] - b[0] || a[1] - b[1]);
  const merged: [number, number][] = [];
  for (const range of ranges) {
    const previous = merged[merged.length - 1];
    if (previous !== undefined && range[0] <= previous[1]) previous[1] = Math.max(previous[1], range[1]);
    else merged.push([range[0], range[1]]);
  }
  return { text: window.text, highlights: merged };
}

/** The snippet as plain text with each highlight wrapped in `open` and `close`. */
export function renderSnippet(snippet: Snippet, open = '[', close = ']'): string {
  let out = '';
  let at = 0;
  for (const [start, end] of snippet.highlights) {
    if (start < at || end > snippet.text.length || end <= start) continue;
    out += snippet.text.slice(at, start) + open + snippet.text.slice(start, end) + close;
    at = end;
  }
  return out + snippet.text.slice(at);
}
