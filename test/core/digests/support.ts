import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDbCadenceSwitch } from '../../../functions/adapters/dynamodb-cadence-switch.ts';
import { DynamoDbDeliveryMemory } from '../../../functions/adapters/dynamodb-delivery-memory.ts';
import {
  DynamoDbAlertCounters,
  DynamoDbPendingDigests,
} from '../../../functions/adapters/dynamodb-digests.ts';
import {
  DynamoDbDeliveryClaims,
  DynamoDbSuppressionList,
} from '../../../functions/adapters/dynamodb-ledger.ts';
import { SesEmailSender } from '../../../functions/adapters/ses-email-sender.ts';
import { DynamoSubscriptionRepository } from '../../../functions/adapters/subscription-repository.ts';
import type { DeliveryJob } from '../../../functions/core/deliveries/types.ts';
import type { DigestWindow, PendingDigests } from '../../../functions/core/digests/ports.ts';
import type { EmailMessage, EmailSender, SmsSender } from '../../../functions/core/ports.ts';
import { type LocalAws, sentMails, startLocalAws } from '../../adapters/support.ts';
import { aDeliveryJob, SECRET } from '../alerts/factories.ts';

export const LINKS = { publicBaseUrl: 'https://alerts.example.com', signingSecret: SECRET };

/** A clock the ledger adapters read, moved by tests (epoch ms). */
export class TestClock {
  constructor(public now: number) {}
  seconds = () => Math.floor(this.now / 1000);
}

/** The real adapters on the stand-ins, the e-mail through the SES stand-in (with a switch to fail sends). */
export function digestFixture(aws: LocalAws, clock: TestClock) {
  const ses = new SESv2Client({
    region: aws.standins.region,
    credentials: aws.standins.credentials,
    endpoint: aws.standins.endpoints.ses,
  });
  const real = new SesEmailSender(ses, { from: 'alerts@example.com' });
  const email = new (class implements EmailSender {
    failNext = 0;
    sent: EmailMessage[] = [];
    async send(message: EmailMessage): Promise<void> {
      if (this.failNext > 0) {
        this.failNext--;
        throw new Error('SES connection reset');
      }
      await real.send(message);
      this.sent.push(message);
    }
  })();
  const sms = new (class implements SmsSender {
    sent: { phone: string; text: string }[] = [];
    async send(phone: string, text: string): Promise<void> {
      this.sent.push({ phone, text });
    }
  })();
  const { ledger, digests, subscriptions } = aws.resources.tables;
  return {
    email,
    sms,
    ses,
    pending: new DynamoDbPendingDigests(aws.documents, digests),
    counters: new DynamoDbAlertCounters(aws.documents, ledger, clock.seconds),
    claims: new DynamoDbDeliveryClaims(aws.documents, ledger, clock.seconds),
    suppressions: new DynamoDbSuppressionList(aws.documents, ledger),
    recipients: new DynamoDbDeliveryMemory(aws.documents, ledger),
    cadence: new DynamoDbCadenceSwitch(aws.documents, subscriptions),
    subscriptionStore: new DynamoSubscriptionRepository(aws.documents, subscriptions),
    mails: () => sentMails(aws.standins),
  };
}

export { startLocalAws };

/** A job of subscription `subscription` for story `story`, with delivery preferences. */
export function jobFor(
  subscription: string,
  story: string,
  delivery: Record<string, unknown> | undefined,
  overrides: Partial<DeliveryJob> = {},
): DeliveryJob {
  const base = aDeliveryJob();
  return aDeliveryJob({
    story: {
      ...base.story,
      id: story,
      headline: `Headline of ${story}`,
      publishedAt: '2026-07-01T10:00:00Z',
    },
    subscription: { ...base.subscription, id: subscription, ...(delivery === undefined ? {} : { delivery }) },
    destination: `${subscription}@example.com`,
    ...overrides,
  });
}

/** Every window the due index gives up to `dueBy`, all pages. */
export async function allDueWindows(pending: PendingDigests, dueBy: number): Promise<DigestWindow[]> {
  const windows: DigestWindow[] = [];
  for await (const page of pending.dueWindows(dueBy, 100)) windows.push(...page);
  return windows;
}
