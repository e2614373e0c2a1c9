import { describe, expect, it } from 'vitest';
import { interpretMailEvent, MailEventError } from '../../../functions/core/mail/feedback.ts';
import { complaint, delivery, hardBounce, softBounce } from '../../handlers/fixtures/ses-events.ts';

describe('interpretMailEvent', () => {
  it('suppresses every recipient of a Permanent bounce', () => {
    const record = hardBounce('a@example.org');
    record.bounce.bouncedRecipients.push({
      ...record.bounce.bouncedRecipients[0]!,
      emailAddress: 'b@example.org',
    });
    expect(interpretMailEvent(record)).toMatchObject({
      kind: 'bounce',
      bounceType: 'Permanent',
      recipients: 2,
      suppress: [
        { address: 'a@example.org', reason: 'ses-bounce: Permanent/General' },
        { address: 'b@example.org', reason: 'ses-bounce: Permanent/General' },
      ],
    });
  });

  it.each(['Transient', 'Undetermined'])('suppresses nobody for a %s bounce', (bounceType) => {
    const record = softBounce('a@example.org');
    expect(interpretMailEvent({ ...record, bounce: { ...record.bounce, bounceType } }).suppress).toEqual([]);
  });

  it('reads identity notifications (notificationType) as well as event publishing (eventType)', () => {
    const { eventType: _, ...rest } = complaint('c@example.org');
    expect(interpretMailEvent({ notificationType: 'Complaint', ...rest }).suppress).toEqual([
      { address: 'c@example.org', reason: 'ses-complaint: abuse' },
    ]);
  });

  it('counts a delivery by its destinations and suppresses nothing', () => {
    expect(interpretMailEvent(delivery('d@example.org'))).toMatchObject({
      kind: 'delivery',
      recipients: 1,
      suppress: [],
    });
  });

  it('ignores recipients that are not addresses, or absurdly long', () => {
    const record = hardBounce('x');
    record.bounce.bouncedRecipients.push({
      ...record.bounce.bouncedRecipients[0]!,
      emailAddress: `${'a'.repeat(300)}@example.org`,
    });
    expect(interpretMailEvent(record).suppress).toEqual([]);
  });

  it.each([null, [], 'Bounce', { mail: {} }])(
    'refuses %j with a message saying what is missing',
    (record) => {
      expect(() => interpretMailEvent(record)).toThrow(MailEventError);
      expect(() => interpretMailEvent(record)).toThrow(/SES event/);
    },
  );
});
