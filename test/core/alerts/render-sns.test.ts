import { describe, expect, it } from 'vitest';
import { MAX_ATTRIBUTE_BYTES, renderTopicMessage } from '../../../functions/core/alerts/render-sns.ts';
import { aDeliveryJob } from './factories.ts';

describe('renderTopicMessage', () => {
  it('publishes the alert as JSON with filterable String attributes', () => {
    const job = aDeliveryJob({
      channel: 'sns',
      destination: undefined,
      matchedTerms: ['harbour', 'person:"Ana Lima"'],
    });
    const { message, attributes } = renderTopicMessage(job);
    expect(JSON.parse(message)).toEqual({
      type: 'wirewatch.alert',
      schemaVersion: 1,
      story: {
        id: 'story-42',
        version: 1,
        status: 'usable',
        headline: 'Harbour strike ends after three days',
        url: 'https://news.example.com/stories/42',
        publishedAt: '2026-01-02T03:04:05Z',
        source: 'Test Wire',
      },
      subscription: { id: 'sub-1', name: 'Ports' },
      snippet: { text: 'The harbour strike ended on Friday.', highlights: [[4, 11]] },
      matchedTerms: ['harbour', 'person:"Ana Lima"'],
    });
    expect(attributes).toEqual({
      subscriptionId: 'sub-1',
      storyId: 'story-42',
      channel: 'sns',
      matchedTerms: 'harbour,person:"Ana Lima"',
    });
  });

  it('keeps attribute values on one line, bounded, and leaves out empty ones', () => {
    const job = aDeliveryJob({
      channel: 'sns',
      story: { ...aDeliveryJob().story, id: 'story\r\n42' },
      matchedTerms: [],
    });
    const { attributes } = renderTopicMessage(job);
    expect(attributes.storyId).toBe('story 42');
    expect(attributes).not.toHaveProperty('matchedTerms');

    const many = renderTopicMessage(
      aDeliveryJob({ matchedTerms: Array.from({ length: 100 }, (_, i) => `term${i}x`.repeat(5)) }),
    );
    expect(Buffer.byteLength(many.attributes.matchedTerms ?? '')).toBeLessThanOrEqual(MAX_ATTRIBUTE_BYTES);
  });

  it('drops a non-http link from the message', () => {
    const job = aDeliveryJob({ story: { ...aDeliveryJob().story, url: 'data:text/html,<script>' } });
    expect(JSON.parse(renderTopicMessage(job).message).story.url).toBeUndefined();
  });
});
