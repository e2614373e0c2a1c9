import { SubscriptionError } from '../../core/subscriptions/errors.ts';
import type { SubscriptionService } from '../../core/subscriptions/service.ts';
import { parseInboundSms } from '../../core/subscriptions/sms-replies.ts';
import type { RouteHandler } from '../app.ts';
import {
  ApiError,
  type ApiRequest,
  type ApiResponse,
  fromSubscriptionError,
  json,
  jsonBody,
} from '../http.ts';
import {
  confirmAskPage,
  confirmedPage,
  messagePage,
  unsubscribeAskPage,
  unsubscribedPage,
} from '../pages.ts';

/**
 * Routes behind links in messages, where the signed token is the credential: GET pages ask before acting
 * (mail scanners follow links), POST acts. Errors here are pages, not JSON: a person is reading.
 */
export function publicRoutes(service: SubscriptionService) {
  return {
    confirmPage: (request) =>
      asPage(async () => {
        const token = requireToken(request);
        const { subscription, address } = await service.describeConfirmation(token);
        const channel = subscription?.channels.find((c) => c.type === 'email');
        if (subscription === undefined || channel?.type !== 'email' || channel.address !== address) {
          throw new SubscriptionError(
            'link-stale',
            'This confirmation link no longer applies: the subscription or its address changed.',
          );
        }
        if (channel.confirmed) return confirmedPage(subscription.name, address, true);
        return confirmAskPage(token, subscription.name, address);
      }),
    confirmEmail: (request) =>
      asPage(async () => {
        const result = await service.confirmEmail(requireToken(request));
        return confirmedPage(result.subscription.name, result.address, !result.changed);
      }),
    unsubscribePage: (request) =>
      asPage(async () => {
        const token = requireToken(request);
        const { subscription, channel } = await service.describeUnsubscribe(token);
        if (subscription === undefined || !subscription.channels.some((c) => c.type === channel)) {
          return unsubscribedPage(subscription?.name, channel, false);
        }
        return unsubscribeAskPage(token, subscription.name, channel);
      }),
    unsubscribe: (request) =>
      asPage(async () => {
        const token = requireToken(request);
        if (!isOneClick(request)) {
          throw new ApiError(
            400,
            'invalid-input',
            'An unsubscribe POST must carry List-Unsubscribe=One-Click (RFC 8058).',
          );
        }
        const result = await service.unsubscribe(token);
        return unsubscribedPage(result.subscription?.name, result.channel, result.changed);
      }),
    smsInbound: async (request) => {
      const sms = parseInboundSms(jsonBody(request));
      if (sms === undefined) {
        throw new ApiError(
          400,
          'invalid-input',
          'Expected {"originationNumber": "+1...", "messageBody": "STOP"}.',
        );
      }
      const result = await service.handleSmsReply(sms.from, sms.text);
      return json(200, result);
    },
  } satisfies Record<string, RouteHandler>;
}

function requireToken(request: ApiRequest): string {
  const token = request.query.token;
  if (token === undefined || token === '') {
    throw new ApiError(
      400,
      'invalid-input',
      'This link has no token: open the link from the e-mail exactly as it was sent.',
    );
  }
  return token;
}

/** RFC 8058: the body is `List-Unsubscribe=One-Click`, form-urlencoded or multipart. */
function isOneClick(request: ApiRequest): boolean {
  const body = request.body ?? '';
  const type = request.headers['content-type'] ?? '';
  if (type.startsWith('multipart/form-data')) {
    return body.includes('name="List-Unsubscribe"') && body.includes('One-Click');
  }
  return new URLSearchParams(body).get('List-Unsubscribe') === 'One-Click';
}

const TITLES: Readonly<Record<number, string>> = {
  400: 'This link is incomplete',
  403: 'This link is not valid',
  404: 'Not found',
  409: 'Cannot do that',
  410: 'This link no longer applies',
  429: 'Too many attempts',
};

async function asPage(render: () => Promise<ApiResponse>): Promise<ApiResponse> {
  try {
    return await render();
  } catch (error) {
    const apiError = error instanceof SubscriptionError ? fromSubscriptionError(error) : error;
    if (!(apiError instanceof ApiError)) throw error;
    return messagePage(
      apiError.statusCode,
      TITLES[apiError.statusCode] ?? 'Something is wrong',
      apiError.message,
    );
  }
}
