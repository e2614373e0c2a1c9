import { describe, expect, it } from 'vitest';
import { handlerLogEvent, isHandlerNoise, readableLine } from '../../local/handler-log.ts';

const limits = { maxReceiveCount: { stories: 5, deliveries: 8 }, storyRetrySeconds: 5 };

function powertools(message: string, level: string, fields: Record<string, unknown>): string {
  return JSON.stringify({
    level,
    message,
    timestamp: '2026-12-05T19:48:18.824Z',
    service: 'matcher',
    cold_start: false,
    function_name: 'wirewatch-matcher',
    function_request_id: 'c570561e',
    ...fields,
  });
}

describe('handler log lines for the terminal', () => {
  it('reads a Powertools line and leaves anything else alone', () => {
    expect(handlerLogEvent(powertools('Story matched', 'INFO', { storyId: 's1' }))).toEqual({
      level: 'INFO',
      message: 'Story matched',
      functionName: 'matcher',
      fields: { storyId: 's1' },
    });
    expect(handlerLogEvent('Wirewatch is running locally.')).toBeUndefined();
    expect(handlerLogEvent('{"level": broken')).toBeUndefined();
    expect(
      isHandlerNoise('No application metrics to publish. The cold-start metric may be published.\n'),
    ).toBe(true);
    expect(isHandlerNoise('Wirewatch is running locally.')).toBe(false);
  });

  it('says why a story was rejected and what happens next, up to the dead-letter queue', () => {
    const rejected = (receiveCount: string) =>
      readableLine(
        handlerLogEvent(
          powertools('Story rejected', 'WARN', {
            messageId: 'm-1',
            receiveCount,
            code: 'unknown-format',
            reason: 'unrecognised story format\n(plain text)',
          }),
        ) ?? { level: '', message: '', functionName: '', fields: {} },
        limits,
      );
    expect(rejected('1')).toBe(
      'REJECTED   story in message m-1 (attempt 1 of 5): unrecognised story format (plain text); tried again in 5 s',
    );
    expect(rejected('5')).toBe(
      'REJECTED   story in message m-1 (attempt 5 of 5): unrecognised story format (plain text); ' +
        'moved to the stories dead-letter queue (npm run --silent wirewatch -- dlq)',
    );
  });

  it('names duplicates, drops routine events and keeps other warnings on one line', () => {
    const fields = { subscriptionId: 'sub-1', storyId: 'story-1', channel: 'sms' };
    const line = (message: string, level: string, extra: Record<string, unknown> = {}) => {
      const event = handlerLogEvent(powertools(message, level, { ...fields, ...extra }));
      return event === undefined ? 'not a handler line' : readableLine(event, limits);
    };
    expect(line('Alert already sent', 'INFO')).toBe(
      'DUPLICATE  sms for sub-1: story story-1 was already alerted; not sent again',
    );
    expect(line('Alert sent', 'INFO')).toBeUndefined();
    expect(line('Something odd', 'WARN', { detail: { a: 1 } })).toBe(
      'WARN       matcher: Something odd (subscriptionId=sub-1 storyId=story-1 channel=sms detail={"a":1})',
    );
  });
});
