import type { ConfirmationReport } from '../../core/subscriptions/confirmations.ts';
import { deliveryInput } from '../../core/subscriptions/preferences.ts';
import type { SubscriptionService } from '../../core/subscriptions/service.ts';
import type { Channel, Subscription } from '../../core/subscriptions/subscription.ts';
import type { RouteHandler } from '../app.ts';
import { type ApiRequest, json, jsonBody, noContent } from '../http.ts';

/** The signed-in user's subscriptions: create, list, read, change, pause, resume, delete, confirm SMS. */
export function subscriptionRoutes(service: SubscriptionService) {
  const owner = (request: ApiRequest): string => request.user ?? '';
  const id = (request: ApiRequest): string => request.params.id ?? '';
  return {
    listSubscriptions: async (request) => {
      const subscriptions = await service.list(owner(request));
      return json(200, { subscriptions: subscriptions.map(subscriptionView) });
    },
    createSubscription: async (request) => {
      const change = await service.create(owner(request), jsonBody(request));
      return json(201, changeView(change.subscription, change.confirmations), {
        location: `/subscriptions/${encodeURIComponent(change.subscription.id)}`,
      });
    },
    getSubscription: async (request) =>
      json(200, { subscription: subscriptionView(await service.get(owner(request), id(request))) }),
    updateSubscription: async (request) => {
      const change = await service.update(owner(request), id(request), jsonBody(request));
      return json(200, changeView(change.subscription, change.confirmations));
    },
    deleteSubscription: async (request) => {
      await service.delete(owner(request), id(request));
      return noContent();
    },
    pauseSubscription: async (request) =>
      json(200, {
        subscription: subscriptionView(await service.setStatus(owner(request), id(request), 'paused')),
      }),
    resumeSubscription: async (request) =>
      json(200, {
        subscription: subscriptionView(await service.setStatus(owner(request), id(request), 'active')),
      }),
    confirmSms: async (request) => {
      const body = jsonBody(request);
      const subscription = await service.confirmSms(owner(request), id(request), body.code);
      return json(200, { subscription: subscriptionView(subscription) });
    },
    resendConfirmation: async (request) => {
      const report = await service.resendConfirmation(
        owner(request),
        id(request),
        request.params.channel ?? '',
      );
      return json(report.status === 'sent' ? 202 : 502, { confirmation: report });
    },
  } satisfies Record<string, RouteHandler>;
}

/** A subscription as the API shows it to its owner. */
export function subscriptionView(subscription: Subscription) {
  return {
    id: subscription.id,
    name: subscription.name,
    query: subscription.query,
    status: subscription.status,
    channels: subscription.channels.map(channelView),
    updates: subscription.updates ?? 'first',
    createdAt: subscription.createdAt,
    updatedAt: subscription.updatedAt,
    // Absent for a subscription made before delivery control: every alert at once, no throttle.
    ...(subscription.delivery === undefined ? {} : { delivery: deliveryInput(subscription.delivery) }),
  };
}

function channelView(channel: Channel) {
  switch (channel.type) {
    case 'email':
      return { type: channel.type, address: channel.address, confirmed: channel.confirmed };
    case 'sms':
      return { type: channel.type, phone: channel.phone, confirmed: channel.confirmed };
    case 'sns':
      return { type: channel.type, confirmed: channel.confirmed };
  }
}

function changeView(subscription: Subscription, confirmations: readonly ConfirmationReport[]) {
  return { subscription: subscriptionView(subscription), confirmations };
}
