/**
 * `wirewatch subscriptions update|pause|resume|delete ID`: changes one of the signed-in user's subscriptions
 * through the API (PATCH, POST .../pause, POST .../resume, DELETE /subscriptions/{id}), whose validation and
 * error messages (unknown time zone, 25:00) are the ones the subscribe page shows.
 */
import { ApiClient, ApiClientError } from '../../api/client.ts';
import { readArguments } from '../arguments.ts';
import type { CommandIo } from '../command.ts';
import { DELIVERY_FLAGS, DELIVERY_OPTIONS, deliveryFromOptions } from '../delivery-options.ts';

export const SUBSCRIPTION_ACTIONS = ['update', 'pause', 'resume', 'delete'] as const;
export type SubscriptionAction = (typeof SUBSCRIPTION_ACTIONS)[number];

interface Shown {
  readonly subscription: {
    readonly id: string;
    readonly name: string;
    readonly status: string;
    readonly query: string;
    readonly updates?: string;
    readonly delivery?: Readonly<Record<string, unknown>>;
  };
}

export async function runSubscriptionAction(
  action: SubscriptionAction,
  args: readonly string[],
  io: CommandIo,
): Promise<number> {
  const fail = (problem: string, status = 2) => {
    io.stderr(`wirewatch subscriptions ${action}: ${problem}`);
    return status;
  };
  const update = action === 'update';
  const parsed = readArguments(args, {
    strings: ['endpoint', 'token', ...(update ? ['name', 'query', 'updates', ...DELIVERY_OPTIONS] : [])],
    flags: update ? [...DELIVERY_FLAGS] : [],
  });
  if (typeof parsed === 'string') return fail(`${parsed}. See --help.`);
  if (parsed.positional.length !== 1) return fail('give exactly one subscription ID. See --help.');
  const id = parsed.positional[0] ?? '';
  const { endpoint, token, name, query, updates } = parsed.options;
  const path = `/subscriptions/${encodeURIComponent(id)}`;
  if (update) {
    // Checked before any call: option syntax, and that there is something to change.
    const syntax = deliveryFromOptions(parsed.options);
    if (typeof syntax === 'string') return fail(`${syntax}. See --help.`);
    if (syntax === undefined && [name, query, updates].every((value) => value === undefined)) {
      return fail('nothing to change: give --name, --query, --updates or a delivery option. See --help.');
    }
  }
  try {
    const client = await ApiClient.create({
      endpoint: endpoint as string | undefined,
      token: token as string | undefined,
    });
    if (action === 'delete') {
      await client.call('DELETE', path);
      io.stdout(`${id}  deleted`);
      return 0;
    }
    if (action === 'pause' || action === 'resume') {
      const { subscription } = (await client.call('POST', `${path}/${action}`)) as Shown;
      io.stdout(`${subscription.id}  ${subscription.status}  ${subscription.name}`);
      return 0;
    }
    // The API replaces `delivery` as a whole: start from the subscription's own, so that one option changes one
    // setting.
    const current = (await client.call('GET', path)) as Shown;
    const delivery = deliveryFromOptions(parsed.options, current.subscription.delivery);
    if (typeof delivery === 'string') return fail(`${delivery}. See --help.`);
    const patch = {
      ...(typeof name === 'string' ? { name } : {}),
      ...(typeof query === 'string' ? { query } : {}),
      ...(typeof updates === 'string' ? { updates } : {}),
      ...(delivery === undefined ? {} : { delivery }),
    };
    const { subscription } = (await client.call('PATCH', path, patch)) as Shown;
    io.stdout(`${subscription.id}  updated '${subscription.name}' (${subscription.status})`);
    if (subscription.delivery !== undefined) io.stdout(`  ${describeDelivery(subscription.delivery)}`);
    return 0;
  } catch (error) {
    if (!(error instanceof ApiClientError)) throw error;
    return fail(error.message, 1);
  }
}

/** One line: `e-mail daily 08:00 (Europe/Berlin); at most 10 an hour; daily cap 50; quiet 22:00-07:00`. */
function describeDelivery(delivery: Readonly<Record<string, unknown>>): string {
  const parts = [`e-mail ${String(delivery.email ?? 'immediate')} (${String(delivery.timeZone ?? 'UTC')})`];
  if (delivery.maxPerHour !== undefined) parts.push(`at most ${String(delivery.maxPerHour)} an hour`);
  if (delivery.dailyCap !== undefined) parts.push(`daily cap ${String(delivery.dailyCap)}`);
  const quiet = delivery.quietHours as { start?: unknown; end?: unknown } | undefined;
  if (quiet !== undefined) parts.push(`quiet ${String(quiet.start)}-${String(quiet.end)}`);
  if (delivery.sendEmpty === true) parts.push('"no new stories" digests');
  return parts.join('; ');
}
