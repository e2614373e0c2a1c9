/** `wirewatch subscriptions`: lists the signed-in user's subscriptions, or changes one (subscription-actions.ts). */
import { ApiClient, ApiClientError } from '../../api/client.ts';
import { API_OPTIONS_USAGE, readArguments, UPDATES_OPTION_USAGE } from '../arguments.ts';
import type { Command } from '../command.ts';
import { DELIVERY_OPTIONS_USAGE, DELIVERY_UPDATE_USAGE } from '../delivery-options.ts';
import {
  runSubscriptionAction,
  SUBSCRIPTION_ACTIONS,
  type SubscriptionAction,
} from './subscription-actions.ts';

const usage = `Usage: npm run --silent wirewatch -- subscriptions [--json] [--endpoint URL] [--token T]
       npm run --silent wirewatch -- subscriptions update ID [--name N] [--query Q] [--updates P]
                                     [--email-cadence C] [--time-zone Z] [--quiet-hours S-E|none]
                                     [--max-per-hour N] [--daily-cap N|none] [--send-empty|--no-send-empty]
       npm run --silent wirewatch -- subscriptions pause|resume|delete ID

Lists your alert subscriptions: id, status, name, channels (✓ confirmed, … waiting) and query. With
'update', changes what the options name and keeps the rest (a daily cap that turned the subscription into a
daily digest is undone with --email-cadence immediate); 'pause' stops its alerts until 'resume'; 'delete'
removes it.

Options:
  --json            print the API's JSON instead of a table
  --name N, --query Q  a new name, a new query
${UPDATES_OPTION_USAGE}
${DELIVERY_OPTIONS_USAGE}
${DELIVERY_UPDATE_USAGE}
${API_OPTIONS_USAGE}`;

interface Listed {
  readonly subscriptions: readonly {
    readonly id: string;
    readonly name: string;
    readonly query: string;
    readonly status: string;
    readonly channels: readonly { type: string; address?: string; phone?: string; confirmed: boolean }[];
  }[];
}

export const command: Command = {
  summary: 'list your alert subscriptions; update, pause, resume or delete one by id',
  usage,
  async run(args, io) {
    const [first, ...rest] = args;
    if ((SUBSCRIPTION_ACTIONS as readonly string[]).includes(first ?? '')) {
      return runSubscriptionAction(first as SubscriptionAction, rest, io);
    }
    const parsed = readArguments(args, { strings: ['endpoint', 'token'], flags: ['json'] });
    if (typeof parsed === 'string' || parsed.positional.length > 0) {
      io.stderr(
        `wirewatch subscriptions: ${typeof parsed === 'string' ? parsed : `unexpected '${parsed.positional[0]}'`}. See --help.`,
      );
      return 2;
    }
    const { endpoint, token, json } = parsed.options;
    try {
      const client = await ApiClient.create({
        endpoint: endpoint as string | undefined,
        token: token as string | undefined,
      });
      const listed = (await client.call('GET', '/subscriptions')) as Listed;
      if (json === true) {
        io.stdout(JSON.stringify(listed, null, 2));
        return 0;
      }
      if (listed.subscriptions.length === 0) {
        io.stdout("No subscriptions yet: create one with 'wirewatch subscribe'.");
        return 0;
      }
      for (const subscription of listed.subscriptions) {
        const channels = subscription.channels
          .map((c) => `${c.address ?? c.phone ?? c.type}${c.confirmed ? ' ✓' : ' …'}`)
          .join(', ');
        io.stdout(
          `${subscription.id}  ${subscription.status.padEnd(6)}  ${subscription.name}  [${channels || 'no channel'}]`,
        );
        io.stdout(`    ${subscription.query.replace(/[\r\n]+/g, ' ')}`);
      }
      return 0;
    } catch (error) {
      if (!(error instanceof ApiClientError)) throw error;
      io.stderr(`wirewatch subscriptions: ${error.message}`);
      return 1;
    }
  },
};
