/**
 * Digests bench: build and send the digests of N subscribers with 20 pending alerts each, against the stand-ins
 * (dynalite for DynamoDB, aws-ses-v2-local for SES) with the real adapters and sendDueDigests: the time, and the
 * DynamoDB and SES requests per digest (counted by an SDK middleware on the clients). The pending items are
 * written first (not timed as the run). The DynamoDB stand-in manages about a hundred requests a second here, so
 * the default is 1,000 subscribers; WIREWATCH_BENCH_DIGESTS_SUBSCRIBERS sets it (100000 for the size takes
 * about 100 times as long). Requests per digest do not depend on N (each digest is its own partition).
 */
import { SESv2Client } from '@aws-sdk/client-sesv2';
import { DynamoDBDocumentClient } from '@aws-sdk/lib-dynamodb';
import { batchPut } from '../functions/adapters/dynamodb-batch.ts';
import { DynamoDbPendingDigests } from '../functions/adapters/dynamodb-digests.ts';
import { DynamoDbDeliveryClaims, DynamoDbSuppressionList } from '../functions/adapters/dynamodb-ledger.ts';
import { SesEmailSender } from '../functions/adapters/ses-email-sender.ts';
import { toItem } from '../functions/adapters/subscription-item.ts';
import { DynamoSubscriptionRepository } from '../functions/adapters/subscription-repository.ts';
import type { PendingAlert } from '../functions/core/digests/ports.ts';
import { sendDueDigests } from '../functions/core/digests/send-digests.ts';
import { provisionResources, standinClients } from '../local/provision.ts';
import { startStandins } from '../local/standins.ts';
import type { BenchSection } from './sections.ts';
import { formatMs, machineLine, markdownTable } from './support.ts';

const ALERTS_PER_DIGEST = 20;
/** Stories the alerts are drawn from (a busy day's matching stories): digests share them. */
const STORIES = 400;

type Counted = { middlewareStack: { add: (...args: never[]) => void } };

/** Counts the requests a client sends, by command name. */
function countRequests(client: Counted, counts: Map<string, number>): void {
  const middleware =
    (next: (args: unknown) => Promise<unknown>, context: { commandName?: string }) =>
    async (args: unknown) => {
      const name = context.commandName ?? 'unknown';
      counts.set(name, (counts.get(name) ?? 0) + 1);
      return next(args);
    };
  (client.middlewareStack.add as (m: typeof middleware, o: { step: string; name: string }) => void)(
    middleware,
    {
      step: 'initialize',
      name: 'benchRequestCounter',
    },
  );
}

export const digestsSection: BenchSection = {
  name: 'digests',
  description: `digests of N subscribers x ${ALERTS_PER_DIGEST} pending alerts, sent through the stand-ins`,
  async run() {
    const subscribers = Number(process.env.WIREWATCH_BENCH_DIGESTS_SUBSCRIBERS ?? 1_000);
    const standins = await startStandins();
    try {
      const resources = await provisionResources(standins);
      const clients = standinClients(standins);
      const documents = DynamoDBDocumentClient.from(clients.dynamodb, {
        marshallOptions: { removeUndefinedValues: true },
      });
      const ses = new SESv2Client({
        region: standins.region,
        credentials: standins.credentials,
        endpoint: standins.endpoints.ses,
      });
      const pending = new DynamoDbPendingDigests(documents, resources.tables.digests);
      const dueAt = Date.parse('2026-12-06T07:00:00Z');
      const loadStarted = performance.now();
      const holds: Promise<void>[] = [];
      for (let n = 0; n < subscribers; n++) {
        // The subscription itself: the digest sender checks its channel is still there.
        holds.push(
          batchPut(documents, resources.tables.subscriptions, [
            {
              ...toItem({
                id: `sub-${n}`,
                owner: `user-${n}`,
                name: `Subscription ${n}`,
                query: 'harbour',
                channels: [{ type: 'email', address: `reader-${n}@example.com`, confirmed: true }],
                status: 'active',
                createdAt: '2026-12-05T00:00:00Z',
                updatedAt: '2026-12-05T00:00:00Z',
              }),
            },
          ]),
        );
        const alerts: PendingAlert[] = [];
        for (let i = 0; i < ALERTS_PER_DIGEST; i++) {
          const story = (n * 7 + i * 13) % STORIES;
          alerts.push({
            window: {
              subscriptionId: `sub-${n}`,
              channel: 'email',
              destination: `reader-${n}@example.com`,
              dueAt,
            },
            reason: 'digest',
            heldAt: dueAt - (ALERTS_PER_DIGEST - i) * 60_000,
            job: {
              story: {
                id: `story-${story}`,
                version: 1,
                status: 'usable',
                headline: `Harbour story number ${story} with an ordinary headline length`,
                url: `https://news.example.com/stories/${story}`,
                publishedAt: new Date(dueAt - (ALERTS_PER_DIGEST - i) * 60_000).toISOString(),
                source: 'Bench Wire',
              },
              subscription: {
                id: `sub-${n}`,
                name: `Subscription ${n}`,
                owner: `user-${n}`,
                query: 'harbour',
              },
              channel: 'email',
              destination: `reader-${n}@example.com`,
              snippet: {
                text: 'The harbour strike ended on Friday after three days of talks.',
                highlights: [[4, 11]],
              },
              matchedTerms: ['harbour'],
            },
          });
        }
        holds.push(pending.hold(alerts));
        if (holds.length >= 16) await Promise.all(holds.splice(0));
      }
      await Promise.all(holds);
      const loadMs = performance.now() - loadStarted;

      const dynamo = new Map<string, number>();
      const mail = new Map<string, number>();
      countRequests(clients.dynamodb as unknown as Counted, dynamo);
      countRequests(ses as unknown as Counted, mail);
      const started = performance.now();
      const run = await sendDueDigests(
        {
          pending,
          claims: new DynamoDbDeliveryClaims(documents, resources.tables.ledger),
          suppressions: new DynamoDbSuppressionList(documents, resources.tables.ledger),
          email: new SesEmailSender(ses, { from: 'alerts@example.com' }),
          sms: { send: async () => undefined },
          subscriptions: new DynamoSubscriptionRepository(documents, resources.tables.subscriptions),
        },
        {
          publicBaseUrl: 'https://alerts.example.com',
          signingSecret: 'bench-signing-secret-of-at-least-32-bytes',
          leaseSeconds: 360,
          ttlSeconds: 7 * 24 * 3600,
          concurrency: 8,
        },
        dueAt,
      );
      const sendMs = performance.now() - started;
      if (run.outcomes.sent !== subscribers || run.alerts !== subscribers * ALERTS_PER_DIGEST) {
        throw new Error(
          `expected ${subscribers} digests, got ${JSON.stringify(run.outcomes)} (${run.alerts} alerts)`,
        );
      }
      if (standins.sentEmails().length !== subscribers)
        throw new Error('the SES stand-in did not get every digest');
      ses.destroy();
      for (const client of Object.values(clients)) client.destroy();
      const perDigest = (counts: Map<string, number>) =>
        [...counts.entries()]
          .sort((a, b) => b[1] - a[1])
          .map(([name, count]) => `${name.replace(/Command$/, '')} ${(count / subscribers).toFixed(2)}`)
          .join(', ');
      const total = (counts: Map<string, number>) => [...counts.values()].reduce((a, b) => a + b, 0);
      return [
        `${machineLine()}; stand-ins: dynalite, aws-ses-v2-local (in process).`,
        '',
        markdownTable(
          [
            'subscribers',
            'alerts',
            'digests sent',
            'time',
            'per digest',
            'DynamoDB requests / digest',
            'SES requests / digest',
          ],
          [
            [
              subscribers.toLocaleString('en'),
              (subscribers * ALERTS_PER_DIGEST).toLocaleString('en'),
              run.outcomes.sent.toLocaleString('en'),
              formatMs(sendMs),
              formatMs(sendMs / subscribers),
              `${(total(dynamo) / subscribers).toFixed(2)} (${perDigest(dynamo)})`,
              `${(total(mail) / subscribers).toFixed(2)}`,
            ],
          ],
        ),
        '',
        `Writing the pending alerts first (not part of the run): ${formatMs(loadMs)}.`,
      ].join('\n');
    } finally {
      await standins.stop();
    }
  },
};
