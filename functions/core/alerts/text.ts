/**
 * Text helpers for alerts built from third-party wire copy: escaping for HTML, cleaning for headers and
 * one-line channels (SMS, SNS attributes), and cutting to a length without splitting a character.
 */

const HTML_ESCAPES: Readonly<Record<string, string>> = {
  '&': '&amp;',
  '<': '&lt;',
  '>': '&gt;',
  '"': '&quot;',
  "'": '&#39;',
};

/** Escapes text for HTML element content and quoted attribute values. */
export function escapeHtml(text: string): string {
  return text.replace(/[&<>"']/g, (character) => HTML_ESCAPES[character] ?? character);
}

/**
 * Characters that must never reach a header or a one-line message: C0 and C1 controls (CR, LF, TAB, NUL...),
 * DEL, Unicode line and paragraph separators, bidi overrides and isolates (they can disguise text), the BOM,
 * and lone surrogates (not valid UTF-8).
 */
function isUnsafeInLine(character: string): boolean {
  const code = character.codePointAt(0) ?? 0;
  return (
    code <= 0x1f ||
    (code >= 0x7f && code <= 0x9f) ||
    code === 0x2028 ||
    code === 0x2029 ||
    (code >= 0x202a && code <= 0x202e) ||
    (code >= 0x2066 && code <= 0x2069) ||
    code === 0xfeff ||
    (code >= 0xd800 && code <= 0xdfff) // only lone surrogates: `for...of` yields pairs as one character
  );
}

/** Like toSingleLine without trimming, for pieces of a line (a snippet around its highlights). */
export function cleanInline(text: string): string {
  let clean = '';
  for (const character of text) clean += isUnsafeInLine(character) ? ' ' : character;
  return clean.replace(/\s+/g, ' ');
}

/** One line of plain text: unsafe characters become spaces, runs of whitespace collapse, ends are trimmed. */
export function toSingleLine(text: string): string {
  return cleanInline(text).trim();
}

/** Multi-line plain text: like toSingleLine per line, keeping single line breaks and blank-line paragraphs. */
export function toPlainText(text: string): string {
  return text
    .split(/\r\n|\r|\n/)
    .map(toSingleLine)
    .join('\n')
    .replace(/\n{3,}/g, '\n\n')
    .trim();
}

const graphemes = new Intl.Segmenter(undefined, { granularity: 'grapheme' });

/**
 * The longest prefix of `text` whose size (by `measure`) fits `max`, ending on a grapheme boundary (never
 * inside a surrogate pair or before a combining mark), followed by `ellipsis` when anything was cut.
 */
function cut(text: string, max: number, ellipsis: string, measure: (s: string) => number): string {
  if (measure(text) <= max) return text;
  const budget = max - measure(ellipsis);
  if (budget <= 0) return '';
  let kept = '';
  let size = 0;
  for (const { segment } of graphemes.segment(text)) {
    const next = measure(segment);
    if (size + next > budget) break;
    kept += segment;
    size += next;
  }
  return `${kept.trimEnd()}${ellipsis}`;
}

export function utf8Bytes(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}

/** Cuts text to at most `maxBytes` bytes of UTF-8, ellipsis included. */
export function truncateBytes(text: string, maxBytes: number, ellipsis = '...'): string {
  return cut(text, maxBytes, ellipsis, utf8Bytes);
}

/** Cuts text to at most `maxChars` UTF-16 code units, ellipsis included. */
export function truncateChars(text: string, maxChars: number, ellipsis = '...'): string {
  return cut(text, maxChars, ellipsis, (s) => s.length);
}

/** The link to a story, only when it is an absolute http(s) URL (never `javascript:` or `data:`). */
export function safeHttpUrl(url: string | undefined): string | undefined {
  if (url === undefined) return undefined;
  const trimmed = url.trim();
  if (trimmed.length > 2048 || !URL.canParse(trimmed)) return undefined;
  const parsed = new URL(trimmed);
  if (parsed.protocol !== 'https:' && parsed.protocol !== 'http:') return undefined;
  if (parsed.username !== '' || parsed.password !== '') return undefined;
  return parsed.href;
}
