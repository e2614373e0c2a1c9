/** The alerts topic message matches its published JSON Schema (docs/schemas/alerts-topic-message.schema.json). */
import { readFileSync } from 'node:fs';
import { Ajv2020 } from 'ajv/dist/2020.js';
import { describe, expect, it } from 'vitest';
import { renderTopicMessage } from '../../../functions/core/alerts/render-sns.ts';
import { aDeliveryJob } from './factories.ts';

const schema = JSON.parse(
  readFileSync(new URL('../../../docs/schemas/alerts-topic-message.schema.json', import.meta.url), 'utf8'),
) as object;
const validate = new Ajv2020({ allErrors: true, strict: true, validateFormats: false }).compile(schema);

describe('alerts topic message schema', () => {
  it('accepts what renderTopicMessage publishes, with and without the optional story fields', () => {
    const full = JSON.parse(
      renderTopicMessage(aDeliveryJob({ channel: 'sns', destination: undefined })).message,
    );
    const bare = JSON.parse(
      renderTopicMessage(
        aDeliveryJob({
          channel: 'sns',
          destination: undefined,
          story: { ...aDeliveryJob().story, url: undefined, publishedAt: undefined, source: undefined },
        }),
      ).message,
    );
    for (const message of [full, bare]) expect(validate(message), JSON.stringify(validate.errors)).toBe(true);
    expect(full.schemaVersion).toBe(1);
  });

  it('refuses a message of another version or with an unknown field', () => {
    const message = JSON.parse(
      renderTopicMessage(aDeliveryJob({ channel: 'sns', destination: undefined })).message,
    );
    expect(validate({ ...message, schemaVersion: 2 })).toBe(false);
    expect(validate({ ...message, extra: true })).toBe(false);
  });
});
