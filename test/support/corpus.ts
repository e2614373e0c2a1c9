import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, it } from 'vitest';

/** `../shared/corpus` beside the repository: third-party wire copy that is never committed. */
export const CORPUS_DIR = resolve(dirname(fileURLToPath(import.meta.url)), '../../../shared/corpus');

export const corpusAvailable = existsSync(CORPUS_DIR);

/** Path of a file or folder in the corpus. */
export function corpusPath(...parts: string[]): string {
  return join(CORPUS_DIR, ...parts);
}

/**
 * `describe` for tests that read the shared corpus. Without it (a fresh clone) the suite is
 * skipped, and says so on stderr so that the skip is visible in CI output.
 */
export function describeWithCorpus(name: string, body: () => void): void {
  if (corpusAvailable) {
    describe(`${name} [corpus]`, body);
    return;
  }
  // The body is not run at all: it may read corpus files while collecting its tests.
  process.stderr.write(`SKIPPED (no ${CORPUS_DIR}): ${name}\n`);
  describe.skip(`${name} [corpus]`, () => {
    it(`needs ${CORPUS_DIR}`, () => {});
  });
}
