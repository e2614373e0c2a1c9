import { ReceiveMessageCommand } from '@aws-sdk/client-sqs';
import { DynamoDBDocumentClient, PutCommand } from '@aws-sdk/lib-dynamodb';
import { DynamoDbSubscriptionScanner } from '../functions/adapters/dynamodb-subscription-scanner.ts';
import { S3SnapshotStore } from '../functions/adapters/s3-snapshot-store.ts';
import { toItem } from '../functions/adapters/subscription-item.ts';
import { buildSnapshot } from '../functions/core/pipeline/build-snapshot.ts';
import { SNAPSHOT_KEY } from '../infra/definitions.ts';
import { localHandlerEnv, provisionResources, standinClients } from '../infra/local/provision.ts';
import { startStandins } from '../infra/local/standins.ts';

const s = await startStandins();
const r = await provisionResources(s);
const c = standinClients(s);
const doc = DynamoDBDocumentClient.from(c.dynamodb);
const at = new Date().toISOString();
await doc.send(
  new PutCommand({
    TableName: r.tables.subscriptions,
    Item: toItem({
      id: 'p',
      owner: 'o',
      name: 'P',
      query: 'zyxquorp',
      channels: [{ type: 'email', address: 'p@example.com', confirmed: true }],
      status: 'active',
      createdAt: at,
      updatedAt: at,
    }),
  }),
);
await buildSnapshot({
  scanner: new DynamoDbSubscriptionScanner(doc, r.tables.subscriptions),
  store: new S3SnapshotStore(c.s3, r.snapshotBucket, SNAPSHOT_KEY),
});
Object.assign(
  process.env,
  { POWERTOOLS_LOG_LEVEL: 'WARN', POWERTOOLS_METRICS_DISABLED: 'true' },
  localHandlerEnv(s, r, { signingSecret: 'x'.repeat(40), publicBaseUrl: 'http://127.0.0.1:8080' }),
);
const { handler: matcher } = await import('../functions/handlers/matcher.ts');
const { handler: notifier } = await import('../functions/handlers/notifier.ts');
const ctx = { functionName: 'f', awsRequestId: 'r', getRemainingTimeInMillis: () => 30000 } as never;
for (let i = 0; i < 6; i++) {
  const body = JSON.stringify({
    wirewatch: 1,
    id: `p-${i}`,
    headline: `Probe zyxquorp ${i}`,
    body: 'Plombic zyxquorp trandule.',
  });
  const rec = {
    messageId: `m${i}`,
    receiptHandle: 'h',
    body,
    attributes: {
      ApproximateReceiveCount: '1',
      SentTimestamp: '0',
      SenderId: 'x',
      ApproximateFirstReceiveTimestamp: '0',
    },
    messageAttributes: {},
    md5OfBody: '',
    eventSource: 'aws:sqs',
    eventSourceARN: r.queues.stories.arn,
    awsRegion: 'us-east-1',
  };
  let t = performance.now();
  const out = await (matcher as any)({ Records: [rec] }, ctx);
  const tm = performance.now() - t;
  const { Messages = [] } = await c.sqs.send(
    new ReceiveMessageCommand({
      QueueUrl: r.queues.deliveries.url,
      MaxNumberOfMessages: 10,
      MessageSystemAttributeNames: ['All'],
    }),
  );
  const recs = Messages.map((m) => ({
    ...rec,
    messageId: m.MessageId,
    receiptHandle: m.ReceiptHandle,
    body: m.Body,
    eventSourceARN: r.queues.deliveries.arn,
  }));
  t = performance.now();
  const out2 = await (notifier as any)({ Records: recs }, ctx);
  const tn = performance.now() - t;
  console.log(
    `matcher ${tm.toFixed(1)} ms ${JSON.stringify(out)}; notifier ${recs.length} jobs ${tn.toFixed(1)} ms ${JSON.stringify(out2)}`,
  );
}
await s.stop();
process.exit(0);
