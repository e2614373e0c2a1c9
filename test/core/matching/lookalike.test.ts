/**
 * The seed assertions on an invented story with the same features (no headline, two authors, a
 * `CITY--` dateline, titled and full names, "mass deportations"), so they run without ../shared.
 */
import { describe, expect, it } from 'vitest';
import { bruteForceMatch, compileSubscriptions } from '../../../functions/core/matching/index.ts';
import { parseStory } from '../../../functions/core/stories/parse.ts';
import type { Story } from '../../../functions/core/stories/story.ts';
import { aStory } from '../../support/stories.ts';
import { explained } from './helpers.ts';
import { SEED_CASES } from './seed-cases.ts';

const BODY = [
  'U.S. Homeland Security Secretary John Kelly on Thursday ruled out using troops in immigration operations, hours after President Donald Trump called the crackdown "a military operation."',
  "Mr. Kelly and Secretary of State Rex Tillerson met Mexico's foreign minister in the capital to explain the new U.S. rules on immigration and deportation.",
  'Mr. Kelly told reporters there would be "no mass deportations," and said the talks had been frank.',
  'The two Americans later met Mexican President Enrique Peña Nieto. Aides had warned that Mr. Peña Nieto could cancel the visit by Messrs. Kelly and Tillerson.',
].join('\n\n');

const INVENTED_DOW_JONES = `By Ana Schwartz and Tomas Whelan

MEXICO CITY--${BODY}

Write to Ana Schwartz at ana.schwartz@example.com

(END) Dow Jones Newswires

February 23, 2017 15:13 ET (20:13 GMT)
`;

function checkSeedCases(story: Story): void {
  const subs = SEED_CASES.map(([query], i) => ({ id: `seed-${i}`, query }));
  const { index, errors } = compileSubscriptions(subs);
  expect(errors).toEqual([]);
  const matches = index.match(story);
  expect(explained(matches)).toEqual(explained(bruteForceMatch(subs, story)));
  const matched = new Set(matches.map((match) => match.subscriptionId));
  const outcome = SEED_CASES.map(([query], i) => [query, matched.has(`seed-${i}`)]);
  expect(outcome).toEqual(SEED_CASES.map(([query, expected]) => [query, expected]));
}

describe('seed assertions on an invented look-alike story', () => {
  it('built as a Story', () => {
    checkSeedCases(
      aStory({
        headline: '',
        authors: ['Ana Schwartz', 'Tomas Whelan'],
        dateline: 'MEXICO CITY',
        body: BODY,
      }),
    );
  });

  it('parsed from Dow Jones text', () => {
    const story = parseStory(INVENTED_DOW_JONES);
    expect(story.dateline).toBe('MEXICO CITY');
    checkSeedCases(story);
  });
});
