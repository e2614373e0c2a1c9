/** `wirewatch unsubscribe ID`: deletes one of the signed-in user's subscriptions. */
import { ApiClient, ApiClientError } from '../../api/client.ts';
import { API_OPTIONS_USAGE, readArguments } from '../arguments.ts';
import type { Command } from '../command.ts';

const usage = `Usage: npm run --silent wirewatch -- unsubscribe ID [--endpoint URL] [--token T]

Deletes the subscription ID (see 'wirewatch subscriptions'): no more alerts of it on any channel.

Options:
${API_OPTIONS_USAGE}`;

export const command: Command = {
  summary: 'delete one of your subscriptions by id',
  usage,
  async run(args, io) {
    const parsed = readArguments(args, { strings: ['endpoint', 'token'] });
    if (typeof parsed === 'string' || parsed.positional.length !== 1) {
      io.stderr(
        `wirewatch unsubscribe: ${typeof parsed === 'string' ? parsed : 'give exactly one subscription ID'}. See --help.`,
      );
      return 2;
    }
    const id = parsed.positional[0] ?? '';
    const { endpoint, token } = parsed.options;
    try {
      const client = await ApiClient.create({
        endpoint: endpoint as string | undefined,
        token: token as string | undefined,
      });
      await client.call('DELETE', `/subscriptions/${encodeURIComponent(id)}`);
      io.stdout(`${id}  deleted`);
      return 0;
    } catch (error) {
      if (!(error instanceof ApiClientError)) throw error;
      io.stderr(`wirewatch unsubscribe: ${error.message}`);
      return 1;
    }
  },
};
