/**
 * samples/: one story per wire format, written by the team, that the seeded example subscriptions match, so that
 * `npm start` then `wirewatch publish samples/...` shows alerts at once.
 */
import { readdirSync, readFileSync } from 'node:fs';
import { dirname, extname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';
import { describe, expect, it } from 'vitest';
import { compileSubscriptions } from '../../functions/core/matching/index.ts';
import { parseStory } from '../../functions/core/stories/parse.ts';
import { STORY_FORMATS } from '../../functions/core/stories/story.ts';
import { exampleSubscriptions } from '../../local/seed.ts';

const SAMPLES = resolve(dirname(fileURLToPath(import.meta.url)), '../../samples');
const files = readdirSync(SAMPLES).filter((name) => name !== 'README.md');

describe('samples/', () => {
  it('has one story per supported format, named after it', () => {
    expect(files.map((name) => name.slice(0, -extname(name).length)).sort()).toEqual(
      [...STORY_FORMATS].sort(),
    );
  });

  const { index } = compileSubscriptions(exampleSubscriptions());
  for (const file of files) {
    it(`${file} parses as its format and alerts a seeded example subscription`, () => {
      const story = parseStory(readFileSync(join(SAMPLES, file)));
      expect(story.format).toBe(file.slice(0, -extname(file).length));
      const matched = index.match(story).map((match) => match.subscriptionId);
      expect(matched.length).toBeGreaterThan(0);
      expect(['local-example-deportation', 'local-example-pena-nieto']).toEqual(
        expect.arrayContaining(matched),
      );
    });
  }
});
