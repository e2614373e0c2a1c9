/**
 * SQS's older query protocol on the local endpoint: form-encoded `Action=SendMessage&QueueUrl=...` with XML
 * replies, what Debian's awscli 2.9 and other older clients send. fauxqs speaks only the JSON protocol, so each
 * query request is rewritten into its JSON form, answered by fauxqs in process, and the answer written back as
 * the query protocol's XML. Actions are SQS's own names, which no SNS action shares.
 */
import { randomUUID } from 'node:crypto';
import type { buildApp } from 'fauxqs';

type App = ReturnType<typeof buildApp>;
type Json = null | boolean | number | string | Json[] | { [key: string]: Json };

const SQS_XMLNS = 'http://queue.amazonaws.com/doc/2012-11-05/';

const SQS_ACTIONS = new Set([
  'ChangeMessageVisibility',
  'ChangeMessageVisibilityBatch',
  'CreateQueue',
  'DeleteMessage',
  'DeleteMessageBatch',
  'DeleteQueue',
  'GetQueueAttributes',
  'GetQueueUrl',
  'ListQueues',
  'ListQueueTags',
  'PurgeQueue',
  'ReceiveMessage',
  'SendMessage',
  'SendMessageBatch',
  'SetQueueAttributes',
  'TagQueue',
  'UntagQueue',
]);

/** Query names of flattened lists and maps, and the JSON member each becomes. */
const LIST_MEMBERS: Readonly<Record<string, string>> = {
  AttributeName: 'AttributeNames',
  MessageAttributeName: 'MessageAttributeNames',
  MessageSystemAttributeName: 'MessageSystemAttributeNames',
  TagKey: 'TagKeys',
  SendMessageBatchRequestEntry: 'Entries',
  DeleteMessageBatchRequestEntry: 'Entries',
  ChangeMessageVisibilityBatchRequestEntry: 'Entries',
};
const MAP_MEMBERS: Readonly<
  Record<string, { readonly json: string; readonly key: string; readonly value: string }>
> = {
  Attribute: { json: 'Attributes', key: 'Name', value: 'Value' },
  MessageAttribute: { json: 'MessageAttributes', key: 'Name', value: 'Value' },
  MessageSystemAttribute: { json: 'MessageSystemAttributes', key: 'Name', value: 'Value' },
  Tag: { json: 'Tags', key: 'Key', value: 'Value' },
};
const NUMBERS = new Set([
  'MaxNumberOfMessages',
  'WaitTimeSeconds',
  'VisibilityTimeout',
  'DelaySeconds',
  'MaxResults',
]);

export function installSqsQueryProtocol(app: App): void {
  app.addHook('preHandler', async (request, reply) => {
    if (request.method !== 'POST' || request.url !== '/') return;
    if (!String(request.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) return;
    const form = request.body as Record<string, string> | undefined;
    const action = form?.Action;
    if (form === undefined || action === undefined || !SQS_ACTIONS.has(action)) return;

    const answer = await app.inject({
      method: 'POST',
      url: '/',
      headers: {
        'content-type': 'application/x-amz-json-1.0',
        'x-amz-target': `AmazonSQS.${action}`,
        ...(request.headers.authorization === undefined
          ? {}
          : { authorization: request.headers.authorization }),
      },
      payload: JSON.stringify(jsonInput(form)),
    });
    const requestId = randomUUID();
    reply.header('content-type', 'text/xml');
    let output: Json;
    try {
      output = answer.body === '' ? {} : (JSON.parse(answer.body) as Json);
    } catch {
      output = { message: answer.body };
    }
    if (answer.statusCode >= 400) {
      return reply.status(answer.statusCode).send(errorXml(output, requestId));
    }
    const result = isObject(output) ? resultXml(action, output) : '';
    return reply
      .status(200)
      .send(
        `<${action}Response xmlns="${SQS_XMLNS}"><${action}Result>${result}</${action}Result>` +
          `<ResponseMetadata><RequestId>${requestId}</RequestId></ResponseMetadata></${action}Response>`,
      );
  });
}

/** `MessageAttribute.1.Value.StringValue=x` and friends to the JSON protocol's members. */
export function jsonInput(form: Readonly<Record<string, string>>): Record<string, Json> {
  const tree: Record<string, Json> = {};
  for (const [key, value] of Object.entries(form)) {
    if (key === 'Action' || key === 'Version') continue;
    setPath(tree, key.split('.'), value);
  }
  return normalise(tree) as Record<string, Json>;
}

function setPath(node: Record<string, Json>, path: readonly string[], value: string): void {
  const [head, ...rest] = path;
  if (head === undefined) return;
  if (rest.length === 0) {
    node[head] = value;
    return;
  }
  const child = node[head];
  const next: Record<string, Json> = isObject(child) ? child : {};
  node[head] = next;
  setPath(next, rest, value);
}

/** Objects keyed 1..n become lists; flattened lists and maps take their JSON names. */
function normalise(node: Json): Json {
  if (!isObject(node)) return node;
  const out: Record<string, Json> = {};
  for (const [key, raw] of Object.entries(node)) {
    const value = normalise(raw);
    const items =
      isObject(value) && Object.keys(value).every((k) => /^[0-9]+$/.test(k)) ? ordered(value) : undefined;
    const map = MAP_MEMBERS[key];
    const list = LIST_MEMBERS[key];
    if (items !== undefined && map !== undefined) {
      const entries: Record<string, Json> = {};
      for (const item of items) {
        if (isObject(item) && typeof item[map.key] === 'string')
          entries[item[map.key] as string] = item[map.value] ?? null;
      }
      out[map.json] = entries;
    } else if (items !== undefined && list !== undefined) {
      out[list] = items;
    } else if (NUMBERS.has(key) && typeof value === 'string' && /^-?[0-9]+$/.test(value)) {
      out[key] = Number(value);
    } else {
      out[key] = value;
    }
  }
  return out;
}

function ordered(node: Record<string, Json>): Json[] {
  return Object.entries(node)
    .sort(([a], [b]) => Number(a) - Number(b))
    .map(([, value]) => value);
}

function resultXml(action: string, output: Record<string, Json>): string {
  const listMember = (key: string): string | undefined => {
    if (key === 'Messages') return 'Message';
    if (key === 'QueueUrls') return 'QueueUrl';
    if (key === 'Successful') return `${action}ResultEntry`;
    if (key === 'Failed') return 'BatchResultErrorEntry';
    return undefined;
  };
  const members = (object: Record<string, Json>): string =>
    Object.entries(object)
      .map(([key, value]) => member(key, value))
      .join('');
  const member = (key: string, value: Json): string => {
    if (value === null) return '';
    if (Array.isArray(value)) {
      const name = listMember(key) ?? key;
      return value.map((item) => element(name, item)).join('');
    }
    if (isObject(value) && (key === 'Attributes' || key === 'MessageAttributes' || key === 'Tags')) {
      const entry =
        key === 'Attributes' ? 'Attribute' : key === 'MessageAttributes' ? 'MessageAttribute' : 'Tag';
      const name = key === 'Tags' ? 'Key' : 'Name';
      return Object.entries(value)
        .map(([k, v]) => `<${entry}><${name}>${escapeXml(k)}</${name}>${element('Value', v)}</${entry}>`)
        .join('');
    }
    return element(key, value);
  };
  const element = (name: string, value: Json): string => {
    if (value === null) return '';
    if (isObject(value)) return `<${name}>${members(value)}</${name}>`;
    if (Array.isArray(value))
      return `<${name}>${value.map((item) => element('member', item)).join('')}</${name}>`;
    return `<${name}>${escapeXml(String(value))}</${name}>`;
  };
  return members(output);
}

function errorXml(output: Json, requestId: string): string {
  const fields = isObject(output) ? output : {};
  const type = typeof fields.__type === 'string' ? fields.__type : 'InternalError';
  const code = type.slice(type.lastIndexOf('#') + 1);
  const message =
    typeof fields.message === 'string'
      ? fields.message
      : typeof fields.Message === 'string'
        ? fields.Message
        : '';
  const fault = code === 'InternalError' ? 'Receiver' : 'Sender';
  return (
    `<ErrorResponse xmlns="${SQS_XMLNS}"><Error><Type>${fault}</Type><Code>${escapeXml(code)}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${requestId}</RequestId></ErrorResponse>`
  );
}

function isObject(value: Json | undefined): value is Record<string, Json> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Markup characters, and CR (an XML parser would turn CR LF into LF and change the body and its MD5). */
function escapeXml(text: string): string {
  return text.replace(/[<>&'"\r]/g, (c) => `&#${c.charCodeAt(0)};`);
}
