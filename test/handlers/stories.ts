/** Invented wire stories as Wirewatch JSON envelopes (the matcher reads every supported format). */
export function envelope(fields: {
  readonly id: string;
  readonly headline: string;
  readonly body: string;
  readonly status?: string;
  readonly version?: number;
  readonly url?: string;
}): string {
  return JSON.stringify({
    wirewatch: 1,
    source: 'Test Wire',
    publishedAt: '2026-02-03T04:05:06Z',
    ...fields,
  });
}

export const harbourStory = (overrides: Partial<Parameters<typeof envelope>[0]> = {}) =>
  envelope({
    id: 'harbour-1',
    headline: 'Harbour <strike> ends',
    body: 'Dock workers at the harbour ended their strike on Friday after three days.',
    url: 'https://news.example.com/harbour-1',
    ...overrides,
  });
