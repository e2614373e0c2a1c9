import { randomUUID } from 'node:crypto';
import { EventEmitter } from 'node:events';
import { appendFile, mkdir } from 'node:fs/promises';
import { dirname } from 'node:path';
import type { buildApp } from 'fauxqs';
import { isE164 } from '../functions/core/subscriptions/phone.ts';

/**
 * SMS has no local stand-in (fauxqs answers a `Publish` with `PhoneNumber` with "TopicArn is required"), so the
 * local AWS port answers that one call itself and keeps the text here. The notifier's real SNS client is unchanged.
 */

/** One text message "sent" to a phone. */
export interface SmsRecord {
  readonly messageId: string;
  /** E.164, as the caller gave it. */
  readonly phoneNumber: string;
  readonly message: string;
  /** String message attributes, e.g. `AWS.SNS.SMS.SMSType`. */
  readonly attributes: Readonly<Record<string, string>>;
  /** ISO 8601 UTC. */
  readonly sentAt: string;
}

/** SNS's own limit for one SMS publish (it splits into 140-byte segments). */
const MAX_SMS_BYTES = 1600;

export class SmsOutbox extends EventEmitter<{ sms: [SmsRecord] }> {
  readonly #messages: SmsRecord[] = [];
  #writes: Promise<void> = Promise.resolve();

  /** @param file JSON-lines file every message is appended to; absent = in memory only. */
  constructor(readonly file?: string) {
    super();
  }

  /** Every message so far, oldest first. */
  get messages(): readonly SmsRecord[] {
    return this.#messages;
  }

  /** Records a message, appends it to the file (in order) and emits `sms`. */
  async add(record: SmsRecord): Promise<void> {
    this.#messages.push(record);
    const { file } = this;
    if (file !== undefined) {
      this.#writes = this.#writes.then(async () => {
        await mkdir(dirname(file), { recursive: true });
        await appendFile(file, `${JSON.stringify(record)}\n`, 'utf8');
      });
      await this.#writes;
    }
    this.emit('sms', record);
  }

  /** Resolves when every append so far is on disk. */
  flushed(): Promise<void> {
    return this.#writes;
  }
}

type QueryForm = Readonly<Record<string, string | undefined>>;

/**
 * Installs the SMS answer in front of fauxqs's SNS router: an awsQuery (form-encoded) `Publish` that names a
 * `PhoneNumber` instead of a topic goes to the outbox; every other request goes on to fauxqs untouched.
 */
export function installSmsFront(app: ReturnType<typeof buildApp>, outbox: SmsOutbox): void {
  app.addHook('preHandler', async (request, reply) => {
    const form = smsPublishForm(request);
    if (form === undefined) return;
    const failure = validateSms(form);
    reply.header('content-type', 'text/xml');
    if (failure !== undefined) {
      return reply.status(400).send(errorXml('InvalidParameter', failure));
    }
    const record: SmsRecord = {
      messageId: randomUUID(),
      phoneNumber: form.PhoneNumber ?? '',
      message: form.Message ?? '',
      attributes: stringAttributes(form),
      sentAt: new Date().toISOString(),
    };
    await outbox.add(record);
    return reply.status(200).send(publishXml(record.messageId));
  });
}

interface IncomingRequest {
  readonly method: string;
  readonly url: string;
  readonly headers: Readonly<Record<string, unknown>>;
  readonly body: unknown;
}

function smsPublishForm(request: IncomingRequest): QueryForm | undefined {
  if (request.method !== 'POST' || request.url !== '/') return undefined;
  if (!String(request.headers['content-type'] ?? '').includes('application/x-www-form-urlencoded')) {
    return undefined;
  }
  const form = request.body as QueryForm | undefined;
  if (form === undefined || form.Action !== 'Publish') return undefined;
  if (form.PhoneNumber === undefined || form.TopicArn !== undefined || form.TargetArn !== undefined) {
    return undefined;
  }
  return form;
}

function validateSms(form: QueryForm): string | undefined {
  const phone = form.PhoneNumber ?? '';
  if (!isE164(phone)) {
    return `Invalid parameter: PhoneNumber Reason: '${phone.slice(0, 40)}' is not an E.164 number like +14155550100`;
  }
  const message = form.Message ?? '';
  if (message === '') return 'Invalid parameter: Message Reason: Empty message';
  if (Buffer.byteLength(message, 'utf8') > MAX_SMS_BYTES) {
    return `Invalid parameter: Message Reason: an SMS publish is at most ${MAX_SMS_BYTES} bytes`;
  }
  return undefined;
}

/** awsQuery flattens attributes to `MessageAttributes.entry.N.Name` / `.Value.StringValue`. */
function stringAttributes(form: QueryForm): Record<string, string> {
  const attributes: Record<string, string> = {};
  for (let n = 1; form[`MessageAttributes.entry.${n}.Name`] !== undefined; n++) {
    const name = form[`MessageAttributes.entry.${n}.Name`] ?? '';
    const value = form[`MessageAttributes.entry.${n}.Value.StringValue`];
    if (value !== undefined) attributes[name] = value;
  }
  return attributes;
}

const SNS_XMLNS = 'http://sns.amazonaws.com/doc/2010-03-31/';

function publishXml(messageId: string): string {
  return (
    `<PublishResponse xmlns="${SNS_XMLNS}"><PublishResult><MessageId>${messageId}</MessageId></PublishResult>` +
    `<ResponseMetadata><RequestId>${randomUUID()}</RequestId></ResponseMetadata></PublishResponse>`
  );
}

function errorXml(code: string, message: string): string {
  return (
    `<ErrorResponse xmlns="${SNS_XMLNS}"><Error><Type>Sender</Type><Code>${code}</Code>` +
    `<Message>${escapeXml(message)}</Message></Error><RequestId>${randomUUID()}</RequestId></ErrorResponse>`
  );
}

function escapeXml(text: string): string {
  return text.replace(/[<>&'"]/g, (c) => `&#${c.charCodeAt(0)};`);
}
