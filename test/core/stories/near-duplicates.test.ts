import { readdirSync, readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import {
  bandKeys,
  containment,
  decodeFingerprint,
  encodeFingerprint,
  fingerprintText,
  groupNearDuplicates,
  isSubstantiveUpdate,
  MAX_FINGERPRINT_WORDS,
  resemblance,
  sameNews,
  storyText,
} from '../../../functions/core/stories/near-duplicates.ts';
import { parseStories } from '../../../functions/core/stories/parse.ts';
import { corpusPath, describeWithCorpus } from '../../support/corpus.ts';

// Texts written for these tests: a harbour strike as one agency files it, and what happens to it.
const STRIKE = [
  'Dock workers at the port of Valdoria walked out on Tuesday after talks over night-shift pay collapsed,',
  'halting the loading of grain and container ships for the first time in eleven years.',
  'The union said the strike would last until the port authority restored the allowance it cut in March.',
  'About 1,400 workers joined the stoppage, according to union officials, and queues of lorries stretched',
  'several kilometres along the coastal road by midday. The port authority called the walkout unlawful and',
  'said it would seek an injunction. Shipping agents warned that perishable cargo, including fruit bound for',
  'northern markets, could spoil within days if the dispute dragged on. The harbour handles about a fifth of',
  "the country's exports, most of them cereals and fertiliser, and a long stoppage would weigh on growth.",
].join(' ');

/** Another desk's copy of the same story: a new first sentence, small edits, the last paragraph dropped. */
const STRIKE_REWRITE = [
  'A strike by dock workers shut the port of Valdoria on Tuesday.',
  'Dock workers walked out after talks over night-shift pay collapsed,',
  'halting the loading of grain and container ships for the first time in eleven years.',
  'The union said the strike would last until the port authority restored the allowance it cut in March.',
  'About 1,400 workers joined the stoppage, union officials said, and queues of lorries stretched',
  'several kilometres along the coastal road by midday. The port authority called the walkout unlawful and',
  'said it would seek an injunction.',
].join(' ');

/** A write-through: a new lead on top, the earlier text kept below it. */
const STRIKE_NEW_LEAD = [
  'A court in Valdoria on Wednesday ordered striking dock workers back to work, granting the port authority',
  'an injunction hours after ministers offered to mediate; union leaders said they would appeal and kept',
  'pickets at the main gates overnight while the labour minister met both sides in the capital.',
  STRIKE,
].join(' ');

/** The same topic, another story: different facts and wording. */
const OTHER_PORT_STORY = [
  'Container volumes at the port of Valdoria rose 6% last year as new cranes cut waiting times for ships,',
  'the port authority said in its annual report on Thursday. Grain exports fell slightly because of a dry',
  'summer, while fertiliser shipments reached a record. The authority plans to dredge the outer channel next',
  'spring so that larger vessels can berth, and expects the work to take eighteen months and cost about',
  '90 million euros, paid for partly by a loan from the regional development bank.',
].join(' ');

const fingerprint = fingerprintText;

describe('fingerprints', () => {
  it('ignore case, punctuation and spacing', () => {
    const a = fingerprint(STRIKE);
    const b = fingerprint(`  ${STRIKE.toUpperCase().replaceAll(',', ' ;')}\n`);
    expect(resemblance(a, b)).toBe(1);
    expect(a.shingles).toBeGreaterThan(100);
  });

  it('travel as text and come back unchanged; anything else reads as no fingerprint', () => {
    const a = fingerprint(STRIKE);
    const text = encodeFingerprint(a);
    expect(text.length).toBeLessThan(360);
    const back = decodeFingerprint(text);
    expect(back?.shingles).toBe(a.shingles);
    expect(resemblance(back!, a)).toBe(1);
    expect(decodeFingerprint('m1.3.abc')).toBeUndefined();
    expect(decodeFingerprint('x9.3.AAAA')).toBeUndefined();
    expect(decodeFingerprint(42)).toBeUndefined();
  });

  it('read at most MAX_FINGERPRINT_WORDS words, so a huge story costs no more than a long one', () => {
    const words = Array.from({ length: MAX_FINGERPRINT_WORDS * 3 }, (_, n) => `w${n}`).join(' ');
    expect(fingerprint(words).shingles).toBe(MAX_FINGERPRINT_WORDS - 2);
  });

  it('compare short texts and empty ones', () => {
    expect(resemblance(fingerprint('Flash'), fingerprint('flash'))).toBe(1);
    expect(resemblance(fingerprint('Flash'), fingerprint('Quake'))).toBeLessThan(0.2);
    expect(resemblance(fingerprint(''), fingerprint(''))).toBe(1);
    expect(resemblance(fingerprint(''), fingerprint(STRIKE))).toBe(0);
  });
});

describe('sameNews', () => {
  it('groups a retransmission, an edited copy and a write-through with a new lead', () => {
    const original = fingerprint(STRIKE);
    expect(sameNews(original, fingerprint(STRIKE))).toBe(true);
    expect(sameNews(original, fingerprint(STRIKE_REWRITE))).toBe(true);
    expect(sameNews(original, fingerprint(STRIKE_NEW_LEAD))).toBe(true);
    expect(containment(fingerprint(STRIKE_REWRITE), original)).toBeGreaterThan(0.7);
  });

  it('keeps apart a different story on the same topic, same port and same words', () => {
    expect(sameNews(fingerprint(STRIKE), fingerprint(OTHER_PORT_STORY))).toBe(false);
    expect(sameNews(fingerprint(STRIKE_REWRITE), fingerprint(OTHER_PORT_STORY))).toBe(false);
  });

  it('near-duplicates very likely share a band key; unrelated texts share none', () => {
    const shared = (a: string, b: string) => {
      const keys = new Set(bandKeys(fingerprint(a)));
      return bandKeys(fingerprint(b)).filter((key) => keys.has(key)).length;
    };
    expect(shared(STRIKE, STRIKE_REWRITE)).toBeGreaterThan(0);
    expect(shared(STRIKE, STRIKE_NEW_LEAD)).toBeGreaterThan(0);
    expect(shared(STRIKE, OTHER_PORT_STORY)).toBe(0);
  });

  it('groupNearDuplicates puts each item with the first it is the same news as', () => {
    const items = [
      { source: 'AP', text: STRIKE },
      { source: 'Reuters', text: OTHER_PORT_STORY },
      { source: 'dpa', text: STRIKE_REWRITE },
    ];
    const groups = groupNearDuplicates(items, (item) => fingerprint(item.text));
    expect(groups.map((group) => group.map((item) => item.source))).toEqual([['AP', 'dpa'], ['Reuters']]);
  });
});

describe('isSubstantiveUpdate', () => {
  it('a retransmission and a typo fix are not substantive', () => {
    expect(isSubstantiveUpdate(fingerprint(STRIKE), fingerprint(STRIKE))).toBe(false);
    const typo = STRIKE.replace('kilometres', 'kilometers').replace('injunction', 'court order');
    expect(isSubstantiveUpdate(fingerprint(STRIKE), fingerprint(typo))).toBe(false);
  });

  it('a new lead of some forty words is substantive, and so is a rewrite', () => {
    expect(isSubstantiveUpdate(fingerprint(STRIKE), fingerprint(STRIKE_NEW_LEAD))).toBe(true);
    expect(isSubstantiveUpdate(fingerprint(STRIKE), fingerprint(OTHER_PORT_STORY))).toBe(true);
  });
});

describeWithCorpus('near-duplicates on the Dow Jones versions', () => {
  const folder = corpusPath('dowjones', 'txt');
  const stories = readdirSync(folder)
    .sort()
    .map((file) => ({
      id: file.replace(/^djn-|\.txt$/g, ''),
      fingerprint: fingerprintText(storyText(parseStories(readFileSync(`${folder}/${file}`), {})[0]!)),
    }));
  const byId = new Map(stories.map((story) => [story.id, story.fingerprint]));
  /** Versions of one story under different ids, as the corpus's SOURCE.md lists them and as read. */
  const SAME = [
    ['1504894', '1504900'], // the same NIESR story sent twice
    ['1505231', '1505237'], // the German economic council story sent twice
    ['1539195', '1539229'], // Rio Tinto smelter, and its "UPDATE:" with more paragraphs
    ['1538970', '1539005'], // crude at a four-month high, rewritten forty minutes later
  ];

  it('groups each pair of versions and nothing else among the 50 stories', () => {
    const grouped: string[] = [];
    for (let i = 0; i < stories.length; i++) {
      for (let j = i + 1; j < stories.length; j++) {
        if (sameNews(stories[i]!.fingerprint, stories[j]!.fingerprint))
          grouped.push(`${stories[i]!.id}-${stories[j]!.id}`);
      }
    }
    expect(grouped.sort()).toEqual(SAME.map(([a, b]) => `${a}-${b}`).sort());
  });

  it('the resent stories are not substantive updates; the "UPDATE:" with new paragraphs is', () => {
    const judge = (a: string, b: string) => isSubstantiveUpdate(byId.get(a)!, byId.get(b)!);
    expect(judge('1504894', '1504900')).toBe(false);
    expect(judge('1505231', '1505237')).toBe(false);
    expect(judge('1539195', '1539229')).toBe(true);
  });
});
