/** `wirewatch subscribe --name N --query Q [--email A] [--phone +1...] [--sns]`: creates a subscription. */
import { ApiClient, ApiClientError } from '../../api/client.ts';
import { API_OPTIONS_USAGE, readArguments, UPDATES_OPTION_USAGE } from '../arguments.ts';
import type { Command } from '../command.ts';
import {
  DELIVERY_FLAGS,
  DELIVERY_OPTIONS,
  DELIVERY_OPTIONS_USAGE,
  deliveryFromOptions,
} from '../delivery-options.ts';

const usage = `Usage: npm run --silent wirewatch -- subscribe --name N --query Q [--email A] [--phone +1...] [--sns] [--updates P]

Creates an alert subscription and prints its id. New e-mail addresses get a confirmation link, new numbers a
6-digit code (confirm it on the subscribe page); nothing else is sent to them until then.

Options:
  --name N          a short name (at most 100 characters)
  --query Q         what to alert on, e.g. '"fishing quotas" AND (Lisbon OR Porto)'
  --email A         send alerts to this address
  --phone +1...     send alerts by SMS to this E.164 number
  --sns             publish alerts to the SNS alerts topic
${UPDATES_OPTION_USAGE}
${DELIVERY_OPTIONS_USAGE}
${API_OPTIONS_USAGE}`;

interface Created {
  readonly subscription: { readonly id: string; readonly name: string; readonly status: string };
  readonly confirmations: readonly {
    readonly channel: string;
    readonly destination: string;
    readonly status: string;
  }[];
}

export const command: Command = {
  summary: 'create an alert subscription (--name, --query, --email/--phone/--sns)',
  usage,
  async run(args, io) {
    const parsed = readArguments(args, {
      strings: ['name', 'query', 'email', 'phone', 'updates', 'endpoint', 'token', ...DELIVERY_OPTIONS],
      flags: ['sns', ...DELIVERY_FLAGS],
    });
    if (typeof parsed === 'string' || parsed.positional.length > 0) {
      io.stderr(
        `wirewatch subscribe: ${typeof parsed === 'string' ? parsed : `unexpected '${parsed.positional[0]}'`}. See --help.`,
      );
      return 2;
    }
    const { name, query, email, phone, sns, updates, endpoint, token } = parsed.options;
    if (typeof name !== 'string' || typeof query !== 'string') {
      io.stderr('wirewatch subscribe: --name and --query are required. See --help.');
      return 2;
    }
    if (email === undefined && phone === undefined && sns === undefined) {
      io.stderr('wirewatch subscribe: give at least one of --email, --phone or --sns.');
      return 2;
    }
    const delivery = deliveryFromOptions(parsed.options);
    if (typeof delivery === 'string') {
      io.stderr(`wirewatch subscribe: ${delivery}. See --help.`);
      return 2;
    }
    try {
      const client = await ApiClient.create({
        endpoint: endpoint as string | undefined,
        token: token as string | undefined,
      });
      const created = (await client.call('POST', '/subscriptions', {
        name,
        query,
        channels: {
          ...(typeof email === 'string' ? { email } : {}),
          ...(typeof phone === 'string' ? { phone } : {}),
          ...(sns === true ? { sns: true } : {}),
        },
        ...(typeof updates === 'string' ? { updates } : {}),
        ...(delivery === undefined ? {} : { delivery }),
      })) as Created;
      io.stdout(
        `${created.subscription.id}  created '${created.subscription.name}' (${created.subscription.status})`,
      );
      for (const confirmation of created.confirmations) {
        io.stdout(
          confirmation.status !== 'sent'
            ? `  ${confirmation.destination}: the confirmation could not be sent; resend it from the subscribe page`
            : confirmation.channel === 'email'
              ? `  ${confirmation.destination}: open the confirmation link mailed there`
              : `  ${confirmation.destination}: enter the code texted there on the subscribe page`,
        );
      }
      return 0;
    } catch (error) {
      if (!(error instanceof ApiClientError)) throw error;
      io.stderr(`wirewatch subscribe: ${error.message}`);
      return 1;
    }
  },
};
