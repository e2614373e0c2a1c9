import { readFileSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { expect } from 'vitest';
import { StoryParseError } from '../../../functions/core/stories/errors.ts';

export const FIXTURES = join(dirname(fileURLToPath(import.meta.url)), 'fixtures');

/** Bytes of a fixture under test/core/stories/fixtures. */
export function fixture(name: string): Uint8Array {
  return readFileSync(join(FIXTURES, name));
}

export function fixtureText(name: string): string {
  return readFileSync(join(FIXTURES, name), 'utf8');
}

/** Runs `parse`, expects a StoryParseError and returns it (one-line message checked too). */
export function parseError(parse: () => unknown): StoryParseError {
  let caught: unknown;
  try {
    parse();
  } catch (error) {
    caught = error;
  }
  expect(caught).toBeInstanceOf(StoryParseError);
  const error = caught as StoryParseError;
  expect(error.message).not.toMatch(/[\r\n]/);
  return error;
}
