import { describe, expect, it } from 'vitest';
import { aStory } from '../support/stories.ts';
import { apiHarness } from './support/harness.ts';

const stories = [
  aStory({
    id: 's1',
    headline: 'Ministers agree fishing quotas in Lisbon',
    body: 'The fishing quotas deal was signed.',
  }),
  aStory({ id: 's2', headline: 'Porto port strike ends', body: 'Dockers returned to work.' }),
  aStory({
    id: 's3',
    headline: 'Quotas for hake cut',
    body: 'Fishing quotas for hake fall in Lisbon talks.',
  }),
];

describe('POST /queries/validate', () => {
  it('previews which recent stories a valid query would have matched, with snippets', async () => {
    const { call } = apiHarness({ stories });
    const response = await call('POST', '/queries/validate', {
      user: 'u1',
      body: { query: '"fishing quotas" AND Lisbon' },
    });
    expect(response.status).toBe(200);
    expect(response.json.valid).toBe(true);
    expect(response.json.preview.searched).toBe(3);
    expect(response.json.preview.matches.map((m: { storyId: string }) => m.storyId)).toEqual(['s1', 's3']);
    const [first] = response.json.preview.matches;
    expect(first.headline).toBe('Ministers agree fishing quotas in Lisbon');
    expect(first.matchedTerms).toEqual(expect.arrayContaining(['"fishing quotas"']));
    expect(first.snippet.highlights.length).toBeGreaterThan(0);
  });

  it('accepts organisation, ticker and metadata terms and previews them, metadata hits included', async () => {
    const withMetadata = [
      ...stories,
      aStory({
        id: 's4',
        language: 'es',
        headline: 'Baker Hughes gana un contrato',
        body: 'Baker Hughes Co. (NYSE: BKR) ganó un contrato.',
        subjects: ['energy'],
        urgency: 3,
      }),
    ];
    const { call } = apiHarness({ stories: withMetadata });
    const response = await call('POST', '/queries/validate', {
      user: 'u1',
      body: {
        query: 'org:"Baker Hughes" ticker:NYSE:BKR lang:es subject:energy urgency:<=9 OR status:killed',
      },
    });
    expect(response.json.valid).toBe(true);
    expect(response.json.preview.matches.map((m: { storyId: string }) => m.storyId)).toEqual(['s4']);
    expect(response.json.preview.matches[0].matchedTerms).toEqual(
      expect.arrayContaining(['org:"Baker Hughes"', 'ticker:NYSE:BKR', 'lang:es', 'subject:energy']),
    );
    const invalid = await call('POST', '/queries/validate', {
      user: 'u1',
      body: { query: 'lang:es ticker:bkr' },
    });
    expect(invalid.json).toEqual({
      valid: false,
      error: {
        message:
          'ticker: at 8 needs a symbol in capitals, optionally after an exchange, e.g. ticker:BKR or ticker:NYSE:BKR (tickers are case-sensitive)',
        position: 8,
      },
    });
  });

  it('answers an invalid query with its message and position (200: validation is the answer)', async () => {
    const { call, recentStories } = apiHarness({ stories });
    const response = await call('POST', '/queries/validate', {
      user: 'u1',
      body: { query: 'lisbon AND (fish' },
    });
    expect(response.status).toBe(200);
    expect(response.json).toEqual({
      valid: false,
      error: { message: 'Unclosed parenthesis at 11: add a closing )', position: 11 },
    });
    expect(recentStories.calls, 'no preview for an invalid query').toBe(0);
    const empty = await call('POST', '/queries/validate', { user: 'u1', body: { query: '  ' } });
    expect(empty.json.valid).toBe(false);
  });

  it('reuses the recent stories between calls (live validation is chatty)', async () => {
    const { call, recentStories } = apiHarness({ stories });
    for (const query of ['lisbon', 'porto', 'hake']) {
      expect((await call('POST', '/queries/validate', { user: 'u1', body: { query } })).json.valid).toBe(
        true,
      );
    }
    expect(recentStories.calls).toBe(1);
  });

  it('needs a signed-in user and a string query', async () => {
    const { call } = apiHarness({ stories });
    expect((await call('POST', '/queries/validate', { body: { query: 'x' } })).status).toBe(401);
    const bad = await call('POST', '/queries/validate', { user: 'u1', body: { query: 42 } });
    expect(bad.status).toBe(400);
    expect(bad.json.error.field).toBe('query');
  });
});
