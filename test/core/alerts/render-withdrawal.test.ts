import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import {
  renderWithdrawalEmail,
  renderWithdrawalSms,
  renderWithdrawalTopicMessage,
  type WithdrawalNotice,
} from '../../../functions/core/alerts/render-withdrawal.ts';
import { fitsOneSegment } from '../../../functions/core/alerts/sms-encoding.ts';
import { hasLineBreakOrControl, SECRET } from './factories.ts';

const links = { publicBaseUrl: 'https://alerts.example.com', signingSecret: SECRET };
const notice: WithdrawalNotice = {
  storyId: 'story-42',
  headline: 'Mayor <script>alert(1)</script> & "friends"\r\nBcc: victim@example.com',
  source: 'Test Wire',
  subscriptionId: 'sub-1',
  subscriptionName: 'Ports',
  channel: 'email',
  destination: 'reader@example.com',
};

describe('withdrawal notices', () => {
  it('e-mail: story text escaped, subject one line, one-click unsubscribe', () => {
    const mail = renderWithdrawalEmail(notice, links);
    expect(mail.html).not.toContain('<script>');
    expect(mail.html).toContain('&lt;script&gt;');
    expect(hasLineBreakOrControl(mail.subject)).toBe(false);
    expect(mail.subject.startsWith('[Wirewatch] WITHDRAWN Ports: Mayor')).toBe(true);
    expect(mail.text).toContain('has been withdrawn (Test Wire). Do not use it.');
    expect(mail.headers['List-Unsubscribe-Post']).toBe('List-Unsubscribe=One-Click');
  });

  it('SMS: one segment however long or non-Latin the headline', () => {
    for (const headline of ['Short', 'Ü'.repeat(300), 'word '.repeat(80), '']) {
      const text = renderWithdrawalSms({ ...notice, channel: 'sms', headline });
      expect(fitsOneSegment(text)).toBe(true);
      expect(text.startsWith('Wirewatch WITHDRAWN: ')).toBe(true);
      expect(text.endsWith('disregard the earlier alert.')).toBe(true);
    }
  });

  it('topic: a withdrawal message with the filter attributes of alerts', () => {
    const message = renderWithdrawalTopicMessage({ ...notice, channel: 'sns' });
    expect(JSON.parse(message.message)).toMatchObject({
      type: 'wirewatch.withdrawal',
      story: { id: 'story-42' },
      subscription: { id: 'sub-1' },
    });
    expect(message.attributes).toMatchObject({
      subscriptionId: 'sub-1',
      storyId: 'story-42',
      type: 'withdrawal',
    });
  });
});

describe('withdrawal topic message schema', () => {
  const schema = JSON.parse(
    readFileSync(
      new URL('../../../docs/schemas/withdrawal-topic-message.schema.json', import.meta.url),
      'utf8',
    ),
  ) as object;
  const validate = new Ajv2020({ allErrors: true, strict: true, validateFormats: false }).compile(schema);

  it('accepts what renderWithdrawalTopicMessage publishes and refuses an unknown field', () => {
    const message = JSON.parse(renderWithdrawalTopicMessage({ ...notice, channel: 'sns' }).message);
    expect(validate(message), JSON.stringify(validate.errors)).toBe(true);
    expect(validate({ ...message, extra: true })).toBe(false);
  });
});
