/**
 * `wirewatch confirm-sms ID CODE`: confirms a subscription's mobile number with the code texted to it, as the
 * subscribe page's Confirm button does (locally the texts are in .wirewatch/sms-outbox.jsonl).
 */
import { ApiClient, ApiClientError } from '../../api/client.ts';
import { API_OPTIONS_USAGE, readArguments } from '../arguments.ts';
import type { Command } from '../command.ts';

const usage = `Usage: npm run --silent wirewatch -- confirm-sms ID CODE [--endpoint URL] [--token T]

Confirms the mobile number of subscription ID (see 'wirewatch subscriptions') with the 6-digit CODE texted to
it. Locally the text is in .wirewatch/sms-outbox.jsonl. A wrong or expired code says so; 'Resend' on the
page (or the API) sends a new one.

Options:
${API_OPTIONS_USAGE}`;

export const command: Command = {
  summary: 'confirm a subscription’s mobile number with the code texted to it',
  usage,
  async run(args, io) {
    const parsed = readArguments(args, { strings: ['endpoint', 'token'] });
    if (typeof parsed === 'string') {
      io.stderr(`wirewatch confirm-sms: ${parsed}. See --help.`);
      return 2;
    }
    const positionals = parsed.positional;
    const [id, code] = positionals;
    if (id === undefined || code === undefined || positionals.length !== 2) {
      io.stderr(
        'wirewatch confirm-sms: give the subscription ID and the CODE texted to the number. See --help.',
      );
      return 2;
    }
    if (!/^[0-9]{6}$/.test(code)) {
      io.stderr(`wirewatch confirm-sms: '${code.slice(0, 20)}' is not a 6-digit code. See --help.`);
      return 2;
    }
    try {
      const { endpoint, token } = parsed.options;
      const client = await ApiClient.create({
        endpoint: endpoint as string | undefined,
        token: token as string | undefined,
      });
      await client.call('POST', `/subscriptions/${encodeURIComponent(id)}/channels/sms/confirm`, { code });
      io.stdout(`${id}  mobile number confirmed`);
      return 0;
    } catch (error) {
      if (!(error instanceof ApiClientError)) throw error;
      io.stderr(`wirewatch confirm-sms: ${error.message}`);
      return 1;
    }
  },
};
