/**
 * The mail feedback handler against the local DynamoDB (dynalite) with real SDK clients, fed SES event records
 * shaped as in the SES documentation: a hard bounce and a complaint suppress the address, a soft bounce and a
 * delivery do not; then the notifier, reading the same ledger, skips the suppressed addresses.
 */
import { GetCommand } from '@aws-sdk/lib-dynamodb';
import { afterAll, beforeAll, describe, expect, it, vi } from 'vitest';
import { METRICS } from '../../definitions/resources.ts';
import { encodeDeliveryMessages } from '../../functions/core/deliveries/codec.ts';
import { suppressionKey } from '../../functions/core/subscriptions/ledger-keys.ts';
import { type LocalAws, sentMails, startLocalAws } from '../adapters/support.ts';
import { aDeliveryJob, storyAlerts } from '../core/alerts/factories.ts';
import { lambdaContext, sqsEvent, sqsRecord } from '../support/lambda-events.ts';
import { complaint, delivery, hardBounce, onEventBridge, softBounce } from './fixtures/ses-events.ts';
import { captureOutput, setLocalHandlerEnv } from './support.ts';

type Handler = (event: unknown, context: unknown) => Promise<unknown>;

let aws: LocalAws;
let restoreEnv: () => void;
let output: ReturnType<typeof captureOutput>;
let feedback: Handler;
let notifier: Handler;

async function suppression(address: string) {
  const { Item } = await aws.documents.send(
    new GetCommand({
      TableName: aws.resources.tables.ledger,
      Key: { pk: suppressionKey(address) },
      ConsistentRead: true,
    }),
  );
  return Item;
}

beforeAll(async () => {
  aws = await startLocalAws();
  restoreEnv = setLocalHandlerEnv(aws);
  output = captureOutput();
  vi.resetModules();
  feedback = (await import('../../functions/handlers/mail-feedback.ts')).handler as unknown as Handler;
  notifier = (await import('../../functions/handlers/notifier.ts')).handler as unknown as Handler;
});

afterAll(async () => {
  output?.restore();
  restoreEnv?.();
  await aws?.stop();
});

describe('mail feedback handler (SES events from EventBridge, real DynamoDB client)', () => {
  it('suppresses the address of a hard (Permanent) bounce, with the bounce type as the reason', async () => {
    const result = await feedback(
      onEventBridge(hardBounce('gone@Example.org')),
      lambdaContext('mail-feedback'),
    );
    expect(result).toEqual({ kind: 'bounce', suppressed: 1 });
    expect(await suppression('gone@example.org')).toMatchObject({ reason: 'ses-bounce: Permanent/General' });
  });

  it('suppresses the address of a complaint', async () => {
    await feedback(onEventBridge(complaint('angry@example.org')), lambdaContext('mail-feedback'));
    expect(await suppression('angry@example.org')).toMatchObject({ reason: 'ses-complaint: abuse' });
  });

  it('does not suppress a soft (Transient) bounce or a delivery', async () => {
    const soft = await feedback(
      onEventBridge(softBounce('full@example.org')),
      lambdaContext('mail-feedback'),
    );
    await feedback(onEventBridge(delivery('fine@example.org')), lambdaContext('mail-feedback'));
    expect(soft).toEqual({ kind: 'bounce', suppressed: 0 });
    expect(await suppression('full@example.org')).toBeUndefined();
    expect(await suppression('fine@example.org')).toBeUndefined();
  });

  it('counts every event by kind, and the suppressions', () => {
    expect(output.metric(METRICS.addressesSuppressed)).toBe(2);
    const byKind = (kind: string) =>
      output.lines
        .filter((line) => line.event === kind && METRICS.mailEvents in line)
        .reduce((sum, line) => sum + Number(line[METRICS.mailEvents]), 0);
    expect(byKind('bounce')).toBe(2);
    expect(byKind('complaint')).toBe(1);
    expect(byKind('delivery')).toBe(1);
  });

  it('logs and drops an event that is not from SES, without throwing (a retry could not help)', async () => {
    const result = await feedback(
      { ...onEventBridge(delivery('x@example.org')), detail: { hello: 'world' } },
      lambdaContext('mail-feedback'),
    );
    expect(result).toEqual({ kind: 'invalid', suppressed: 0 });
    expect(output.logs('Not an SES sending event; ignored')).toHaveLength(1);
  });

  it('makes the notifier skip the suppressed addresses and still mail the soft-bounced one', async () => {
    const jobs = ['gone@example.org', 'angry@example.org', 'full@example.org'].map((destination, index) =>
      aDeliveryJob({ subscription: { ...aDeliveryJob().subscription, id: `sub-f${index}` }, destination }),
    );
    const [body] = encodeDeliveryMessages(storyAlerts(jobs));
    const result = await notifier(sqsEvent(sqsRecord(body ?? '')), lambdaContext('notifier'));
    expect(result).toEqual({ batchItemFailures: [] });
    const recipients = (await sentMails(aws.standins)).flatMap((mail) => mail.destination.to);
    expect(recipients).toContain('full@example.org');
    expect(recipients).not.toContain('gone@example.org');
    expect(recipients).not.toContain('angry@example.org');
    expect(output.logs('Destination suppressed')).toHaveLength(2);
  });
});
