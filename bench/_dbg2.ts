import { GetItemCommand } from '@aws-sdk/client-dynamodb';
import { GetQueueAttributesCommand, SendMessageCommand } from '@aws-sdk/client-sqs';
import { provisionResources, standinClients } from '../infra/local/provision.ts';
import { startStandins } from '../infra/local/standins.ts';

const s = await startStandins();
const r = await provisionResources(s);
const c = standinClients(s);
for (const [name, fn] of [
  [
    'dynamodb GetItem',
    () => c.dynamodb.send(new GetItemCommand({ TableName: 'ledger', Key: { pk: { S: 'x' } } })),
  ],
  [
    'sqs GetQueueAttributes',
    () =>
      c.sqs.send(new GetQueueAttributesCommand({ QueueUrl: r.queues.stories.url, AttributeNames: ['All'] })),
  ],
  ['ses store fetch', () => fetch(s.endpoints.sesStore).then((x) => x.json())],
] as const) {
  for (let i = 0; i < 50; i++) await fn();
  const t = performance.now();
  const c0 = process.cpuUsage();
  for (let i = 0; i < 500; i++) await fn();
  const u = process.cpuUsage(c0);
  console.log(
    name,
    ((performance.now() - t) / 500).toFixed(2),
    'ms wall',
    ((u.user + u.system) / 1000 / 500).toFixed(2),
    'ms cpu',
  );
}
await s.stop();
process.exit(0);
