import { parseTimestamp } from '../dates.ts';
import type { StoryDraft } from '../draft.ts';
import { StoryParseError } from '../errors.ts';
import { STORY_STATUSES, type StoryStatus } from '../story.ts';
import { plainTextParagraphs } from '../text.ts';

/** Envelope schema version this parser reads (`"wirewatch": 1`). */
export const ENVELOPE_VERSION = 1;

const STRING_FIELDS = [
  'id',
  'headline',
  'body',
  'dateline',
  'publishedAt',
  'language',
  'status',
  'slugline',
  'url',
  'source',
] as const;
const LIST_FIELDS = [
  'authors',
  'summary',
  'keywords',
  'subjects',
  'people',
  'organisations',
  'places',
  'tickers',
] as const;
const NUMBER_FIELDS = ['version', 'urgency'] as const;
const ALLOWED = new Set<string>(['wirewatch', ...STRING_FIELDS, ...LIST_FIELDS, ...NUMBER_FIELDS]);
const SEE_DOCS = 'see docs/story-envelope.md';

function invalid(name: string, problem: string): StoryParseError {
  return new StoryParseError('invalid-field', `envelope field "${name}" ${problem}; ${SEE_DOCS}`);
}

function show(value: unknown): string {
  const shown = JSON.stringify(value) ?? String(value);
  return shown.length > 40 ? `${shown.slice(0, 37)}...` : shown;
}

function optionalString(envelope: Record<string, unknown>, name: string): string | undefined {
  const value = envelope[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw invalid(name, `must be a string, got ${show(value)}`);
  return value;
}

function stringList(envelope: Record<string, unknown>, name: string): string[] {
  const value = envelope[name];
  if (value === undefined || value === null) return [];
  if (!Array.isArray(value)) throw invalid(name, `must be an array of strings, got ${show(value)}`);
  return value.map((entry, index) => {
    if (typeof entry !== 'string') throw invalid(`${name}[${index}]`, `must be a string, got ${show(entry)}`);
    return entry;
  });
}

function wholeNumber(
  envelope: Record<string, unknown>,
  name: string,
  min: number,
  max: number,
): number | undefined {
  const value = envelope[name];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'number' || !Number.isInteger(value) || value < min || value > max) {
    throw invalid(name, `must be a whole number from ${min} to ${max}, got ${show(value)}`);
  }
  return value;
}

/**
 * A Wirewatch JSON envelope: `{"wirewatch": 1, "id": "...", "headline": "...", "body": "..."}` plus
 * optional Story fields. Every field is checked; unknown fields are refused so that typos surface.
 */
export function envelopeDraft(envelope: Record<string, unknown>): StoryDraft {
  if (envelope.wirewatch !== ENVELOPE_VERSION) {
    throw invalid(
      'wirewatch',
      `must be ${ENVELOPE_VERSION} (the envelope version), got ${show(envelope.wirewatch)}`,
    );
  }
  const unknown = Object.keys(envelope).find((name) => !ALLOWED.has(name));
  if (unknown !== undefined) throw invalid(unknown, 'is not an envelope field (check the spelling)');
  const id = optionalString(envelope, 'id');
  if (id === undefined || id.trim() === '') {
    throw new StoryParseError(
      'missing-field',
      `envelope has no "id": give every story a stable id; ${SEE_DOCS}`,
    );
  }
  if (id.length > 512) throw invalid('id', 'is longer than 512 characters');
  const published = optionalString(envelope, 'publishedAt');
  const publishedAt = published === undefined ? undefined : parseTimestamp(published);
  if (published !== undefined && (publishedAt === undefined || !/[T ]\d{2}:?\d{2}/i.test(published))) {
    throw invalid(
      'publishedAt',
      `must be an ISO 8601 date and time such as "2026-01-02T03:04:05Z", got ${show(published)}`,
    );
  }
  const language = optionalString(envelope, 'language');
  if (language !== undefined && !/^[A-Za-z]{2,3}(?:-[A-Za-z0-9]{1,8}){0,4}$/.test(language)) {
    throw invalid('language', `must be a BCP 47 language tag such as "en" or "de-CH", got ${show(language)}`);
  }
  const status = optionalString(envelope, 'status');
  if (status !== undefined && !(STORY_STATUSES as readonly string[]).includes(status)) {
    throw invalid('status', `must be one of ${STORY_STATUSES.join(', ')}, got ${show(status)}`);
  }
  const url = optionalString(envelope, 'url');
  if (url !== undefined && !/^https?:\/\/[^\s/]+/i.test(url)) {
    throw invalid('url', `must be an http or https URL, got ${show(url)}`);
  }
  const body = optionalString(envelope, 'body') ?? '';
  return {
    id,
    headline: optionalString(envelope, 'headline'),
    authors: stringList(envelope, 'authors'),
    dateline: optionalString(envelope, 'dateline'),
    paragraphs: plainTextParagraphs(body),
    summary: stringList(envelope, 'summary'),
    publishedAt,
    language,
    status: status as StoryStatus | undefined,
    version: wholeNumber(envelope, 'version', 1, Number.MAX_SAFE_INTEGER),
    urgency: wholeNumber(envelope, 'urgency', 1, 9),
    slugline: optionalString(envelope, 'slugline'),
    url,
    keywords: stringList(envelope, 'keywords'),
    subjects: stringList(envelope, 'subjects'),
    people: stringList(envelope, 'people'),
    organisations: stringList(envelope, 'organisations'),
    places: stringList(envelope, 'places'),
    tickers: stringList(envelope, 'tickers'),
    source: optionalString(envelope, 'source'),
  };
}
