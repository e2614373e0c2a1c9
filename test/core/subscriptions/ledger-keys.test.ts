import { describe, expect, it } from 'vitest';
import { suppressionKey } from '../../../functions/core/subscriptions/ledger-keys.ts';

describe('suppressionKey', () => {
  it('is the same for an address whatever the case of its domain, so API opt-outs stop the notifier', () => {
    expect(suppressionKey('Reader@Example.COM')).toBe(suppressionKey('Reader@example.com'));
    // The local part is the mailbox owner's business: not folded.
    expect(suppressionKey('Reader@example.com')).not.toBe(suppressionKey('reader@example.com'));
    expect(suppressionKey('+14155550100')).toBe('suppressed#+14155550100');
  });
});
