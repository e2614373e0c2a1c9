/// <reference lib="dom" />
/**
 * The subscribe page's script. It runs in the browser: the server sends this one function's compiled source
 * as app.js (see assets.ts), so it must be self-contained: no imports, nothing from module scope.
 * Every piece of text goes into the page through textContent or createElement: nothing is parsed as HTML.
 */
export function subscribePage(): void {
  const TOKEN_KEY = 'wirewatch.token';
  const VALIDATE_DELAY_MS = 350;

  const byId = <T extends HTMLElement>(id: string): T => {
    const element = document.getElementById(id);
    if (element === null) throw new Error(`The page has no #${id}.`);
    return element as T;
  };
  const make = (tag: string, text?: string, className?: string): HTMLElement => {
    const element = document.createElement(tag);
    if (text !== undefined) element.textContent = text;
    if (className !== undefined) element.className = className;
    return element;
  };

  interface ApiErrorBody {
    readonly error?: {
      readonly code?: string;
      readonly message?: string;
      readonly field?: string;
      readonly position?: number;
    };
  }
  interface ChannelView {
    readonly type: 'email' | 'sms' | 'sns';
    readonly address?: string;
    readonly phone?: string;
    readonly confirmed: boolean;
  }
  interface SubscriptionView {
    readonly id: string;
    readonly name: string;
    readonly query: string;
    readonly status: 'active' | 'paused';
    readonly channels: readonly ChannelView[];
    readonly updates?: 'first' | 'substantive' | 'corrections';
    readonly delivery?: DeliveryView;
  }
  /** Delivery preferences in the API's form (core/subscriptions/preferences.ts). */
  interface DeliveryView {
    readonly timeZone: string;
    readonly email: string;
    readonly quietHours?: { readonly start: string; readonly end: string };
    readonly maxPerHour: number;
    readonly dailyCap?: number;
    readonly sendEmpty: boolean;
  }
  interface Snippet {
    readonly text: string;
    readonly highlights: readonly (readonly [number, number])[];
  }

  // Sign-in: OAuth 2.0 authorization code with PKCE at the managed login domain named by the page (if any).
  const ID_TOKEN_KEY = 'wirewatch.id-token';
  const PKCE_KEY = 'wirewatch.pkce';
  const authUrl = document.body.dataset.authUrl;
  const clientId = document.body.dataset.clientId;
  const pageUrl = (): string => `${window.location.origin}${window.location.pathname}`;
  const base64url = (bytes: Uint8Array): string =>
    btoa(String.fromCharCode(...bytes))
      .replaceAll('+', '-')
      .replaceAll('/', '_')
      .replaceAll('=', '');
  const randomText = (bytes: number): string => base64url(crypto.getRandomValues(new Uint8Array(bytes)));

  const startSignIn = async (): Promise<void> => {
    if (authUrl === undefined || clientId === undefined) return;
    const verifier = randomText(32);
    const state = randomText(16);
    const digest = await crypto.subtle.digest('SHA-256', new TextEncoder().encode(verifier));
    sessionStorage.setItem(PKCE_KEY, JSON.stringify({ verifier, state }));
    const params = new URLSearchParams({
      response_type: 'code',
      client_id: clientId,
      redirect_uri: pageUrl(),
      scope: 'openid email',
      state,
      code_challenge: base64url(new Uint8Array(digest)),
      code_challenge_method: 'S256',
    });
    window.location.assign(`${authUrl}/oauth2/authorize?${params.toString()}`);
  };

  /** Back from the sign-in page with `?code=&state=` (or `?error=`): exchange the code for tokens. */
  const finishSignIn = async (): Promise<string | undefined> => {
    const answer = new URLSearchParams(window.location.search);
    const code = answer.get('code');
    const error = answer.get('error');
    if ((code === null && error === null) || authUrl === undefined || clientId === undefined)
      return undefined;
    history.replaceState(null, '', window.location.pathname);
    const saved = ((): { verifier?: unknown; state?: unknown } | null => {
      try {
        return JSON.parse(sessionStorage.getItem(PKCE_KEY) ?? 'null') as {
          verifier?: unknown;
          state?: unknown;
        };
      } catch {
        return null;
      }
    })();
    sessionStorage.removeItem(PKCE_KEY);
    if (error !== null) return `Sign-in did not complete (${error}): try again.`;
    if (typeof saved?.verifier !== 'string' || saved.state !== answer.get('state')) {
      return 'That sign-in answer was not for this page (its state does not match): sign in again.';
    }
    const response = await fetch(`${authUrl}/oauth2/token`, {
      method: 'POST',
      headers: { 'content-type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({
        grant_type: 'authorization_code',
        client_id: clientId,
        code: code ?? '',
        redirect_uri: pageUrl(),
        code_verifier: saved.verifier,
      }).toString(),
    }).catch(() => undefined);
    const tokens = response?.ok
      ? ((await response.json()) as { access_token?: unknown; id_token?: unknown })
      : undefined;
    if (typeof tokens?.access_token !== 'string') {
      return `The sign-in server refused the code (HTTP ${response?.status ?? 'no answer'}): sign in again.`;
    }
    // The API accepts the access token; the ID token only names the user on the page.
    sessionStorage.setItem(TOKEN_KEY, tokens.access_token);
    if (typeof tokens.id_token === 'string') sessionStorage.setItem(ID_TOKEN_KEY, tokens.id_token);
    return undefined;
  };

  const token = (): string | null => sessionStorage.getItem(TOKEN_KEY);

  const call = async (
    method: string,
    path: string,
    body?: unknown,
  ): Promise<{ status: number; data: unknown }> => {
    const headers: Record<string, string> = { authorization: `Bearer ${token() ?? ''}` };
    if (body !== undefined) headers['content-type'] = 'application/json';
    const response = await fetch(path, {
      method,
      headers,
      body: body === undefined ? undefined : JSON.stringify(body),
    });
    const text = await response.text();
    let data: unknown;
    try {
      data = text === '' ? undefined : JSON.parse(text);
    } catch {
      data = undefined;
    }
    if (response.status === 401 || response.status === 403) {
      showSignIn('Your token was refused (missing, expired or not valid here): sign in again.');
    }
    return { status: response.status, data };
  };
  const errorText = (data: unknown, fallback: string): string =>
    (data as ApiErrorBody | undefined)?.error?.message ?? fallback;

  // --- Sign in and out.
  const showSignIn = (message = ''): void => {
    byId('sign-in').hidden = false;
    byId('app').hidden = true;
    byId('session').hidden = true;
    byId('sign-in-error').textContent = message;
  };
  const showApp = (): void => {
    byId('sign-in').hidden = true;
    byId('app').hidden = false;
    byId('session').hidden = false;
    byId('session-user').textContent =
      `Signed in as ${subjectOf(sessionStorage.getItem(ID_TOKEN_KEY) ?? token() ?? '')}`;
    void refresh();
  };
  const subjectOf = (jwt: string): string => {
    try {
      const payload = JSON.parse(
        atob((jwt.split('.')[1] ?? '').replaceAll('-', '+').replaceAll('_', '/')),
      ) as {
        email?: unknown;
        sub?: unknown;
      };
      return String(payload.email ?? payload.sub ?? 'unknown user');
    } catch {
      return 'unknown user';
    }
  };
  byId('token-save').addEventListener('click', () => {
    const value = byId<HTMLTextAreaElement>('token-input').value.trim();
    if (value.split('.').length !== 3) {
      byId('sign-in-error').textContent =
        'That is not a token: paste the whole JWT (three parts separated by dots).';
      return;
    }
    sessionStorage.setItem(TOKEN_KEY, value);
    sessionStorage.removeItem(ID_TOKEN_KEY);
    byId<HTMLTextAreaElement>('token-input').value = '';
    showApp();
  });
  byId('sign-out').addEventListener('click', () => {
    const signedInThere = sessionStorage.getItem(ID_TOKEN_KEY) !== null;
    sessionStorage.removeItem(TOKEN_KEY);
    sessionStorage.removeItem(ID_TOKEN_KEY);
    showSignIn();
    // Ends the managed login session too, so the next "Sign in" asks again; it comes back to this page.
    if (signedInThere && authUrl !== undefined && clientId !== undefined) {
      const params = new URLSearchParams({ client_id: clientId, logout_uri: pageUrl() });
      window.location.assign(`${authUrl}/logout?${params.toString()}`);
    }
  });
  document.getElementById('oauth-sign-in')?.addEventListener('click', () => void startSignIn());

  // --- Live query validation and preview.
  const queryInput = byId<HTMLTextAreaElement>('query');
  const queryStatus = byId('query-status');
  const marker = byId('query-marker');
  const preview = byId('preview');
  const previewVolume = byId('preview-volume');
  let validateTimer: ReturnType<typeof setTimeout> | undefined;
  let validation = 0;

  const highlighted = (snippet: Snippet): HTMLElement => {
    const container = make('span');
    let at = 0;
    for (const [start, end] of snippet.highlights) {
      container.append(snippet.text.slice(at, start), make('mark', snippet.text.slice(start, end)));
      at = end;
    }
    container.append(snippet.text.slice(at));
    return container;
  };
  const showMarker = (query: string, position: number): void => {
    marker.replaceChildren(
      query.slice(0, position),
      make('mark', query.slice(position, position + 1) || ' '),
      query.slice(position + 1),
    );
    marker.hidden = false;
  };
  const validate = async (): Promise<void> => {
    const query = queryInput.value;
    const mine = ++validation;
    if (query.trim() === '') {
      queryStatus.textContent = '';
      marker.hidden = true;
      preview.replaceChildren();
      previewVolume.textContent = '';
      return;
    }
    const { status, data } = await call('POST', 'queries/validate', { query });
    if (mine !== validation) return; // a newer keystroke won
    preview.replaceChildren();
    previewVolume.textContent = '';
    marker.hidden = true;
    if (status !== 200) {
      queryStatus.textContent = errorText(data, `Could not check the query (HTTP ${status}).`);
      queryStatus.className = 'error';
      return;
    }
    const result = data as
      | { valid: false; error: { message: string; position: number } }
      | {
          valid: true;
          preview: {
            searched: number;
            matches: { headline: string; snippet: Snippet }[];
            volume?: { summary: string; warning?: string };
          };
        };
    if (!result.valid) {
      queryStatus.textContent = `${result.error.message} (at character ${result.error.position + 1})`;
      queryStatus.className = 'error';
      showMarker(query, result.error.position);
      return;
    }
    const { searched, matches, volume } = result.preview;
    // The estimate, and the throttle warning when the query would exceed it (text nodes: never HTML).
    previewVolume.textContent =
      volume === undefined ? '' : [volume.summary, volume.warning ?? ''].join(' ').trim();
    previewVolume.className = volume?.warning === undefined ? 'muted' : 'error';
    queryStatus.textContent =
      searched === 0
        ? 'Valid query. (No recent stories to preview against yet.)'
        : `Valid query: ${matches.length} of the ${searched} most recent stories would have matched.`;
    queryStatus.className = 'valid';
    for (const match of matches) {
      const item = make('li');
      item.append(make('strong', match.headline), make('br'), highlighted(match.snippet));
      preview.append(item);
    }
  };
  queryInput.addEventListener('input', () => {
    clearTimeout(validateTimer);
    validateTimer = setTimeout(() => void validate(), VALIDATE_DELAY_MS);
  });

  // --- Create, or edit (the same form, filled from the list's Edit button).
  let editing: SubscriptionView | undefined;
  const form = byId<HTMLFormElement>('create-form');
  const fieldInputs = {
    name: 'name',
    query: 'query',
    'channels.email': 'email',
    'channels.phone': 'phone',
    updates: 'updates',
  } as const;
  /** Each error next to its field (the API names it); an error about no field above the buttons. */
  const showError = (data: unknown, fallback: string): void => {
    const error = (data as ApiErrorBody | undefined)?.error;
    const field = error?.field ?? '';
    const message = error?.message ?? fallback;
    if (field === 'query') {
      queryStatus.textContent = message;
      queryStatus.className = 'error';
    } else if (field in fieldInputs) {
      byId(`${fieldInputs[field as keyof typeof fieldInputs]}-error`).textContent = message;
    } else if (field.startsWith('channels')) {
      byId('channels-error').textContent = message;
    } else if (field.startsWith('delivery')) {
      byId('delivery-error').textContent = message;
    } else {
      byId('form-error').textContent = message;
    }
  };
  const clearErrors = (): void => {
    for (const id of [
      'form-error',
      'form-notice',
      'name-error',
      'email-error',
      'phone-error',
      'channels-error',
      'updates-error',
      'delivery-error',
    ]) {
      byId(id).textContent = '';
    }
  };
  const setMode = (subscription: SubscriptionView | undefined): void => {
    editing = subscription;
    byId('form-title').textContent = subscription === undefined ? 'New alert' : `Edit "${subscription.name}"`;
    byId('create').textContent = subscription === undefined ? 'Create alert' : 'Save changes';
    byId('cancel-edit').hidden = subscription === undefined;
  };
  const startEdit = (subscription: SubscriptionView): void => {
    clearErrors();
    setMode(subscription);
    byId<HTMLInputElement>('name').value = subscription.name;
    queryInput.value = subscription.query;
    const channel = (type: ChannelView['type']) => subscription.channels.find((c) => c.type === type);
    byId<HTMLInputElement>('email').value = channel('email')?.address ?? '';
    byId<HTMLInputElement>('phone').value = channel('sms')?.phone ?? '';
    byId<HTMLInputElement>('sns').checked = channel('sns') !== undefined;
    byId<HTMLSelectElement>('updates').value = subscription.updates ?? 'first';
    showDelivery(subscription.delivery);
    void validate();
    form.scrollIntoView();
    byId('name').focus();
  };
  const input = (id: string) => byId<HTMLInputElement>(id);
  /** The When fields from preferences (or the defaults: the browser's time zone, as it happens). */
  const showDelivery = (delivery: DeliveryView | undefined): void => {
    const [kind = 'immediate', ...rest] = (delivery?.email ?? 'immediate').split(' ');
    byId<HTMLSelectElement>('cadence').value = kind;
    if (kind === 'weekly') byId<HTMLSelectElement>('digest-day').value = rest[0] ?? 'monday';
    input('digest-at').value = rest.at(-1)?.includes(':') ? (rest.at(-1) ?? '08:00') : '08:00';
    input('time-zone').value = delivery?.timeZone ?? Intl.DateTimeFormat().resolvedOptions().timeZone;
    input('quiet-start').value = delivery?.quietHours?.start ?? '';
    input('quiet-end').value = delivery?.quietHours?.end ?? '';
    input('max-per-hour').value = String(delivery?.maxPerHour ?? 10);
    input('daily-cap').value = delivery?.dailyCap === undefined ? '' : String(delivery.dailyCap);
    input('send-empty').checked = delivery?.sendEmpty === true;
  };
  /** The `delivery` object for the API from the When fields; the API checks every value. */
  const readDelivery = (): Record<string, unknown> => {
    const kind = byId<HTMLSelectElement>('cadence').value;
    const at = input('digest-at').value.trim();
    const email =
      kind === 'daily'
        ? `daily ${at}`
        : kind === 'weekly'
          ? `weekly ${byId<HTMLSelectElement>('digest-day').value} ${at}`
          : kind;
    const start = input('quiet-start').value.trim();
    const end = input('quiet-end').value.trim();
    const cap = input('daily-cap').value.trim();
    return {
      timeZone: input('time-zone').value.trim() || 'UTC',
      email,
      ...(start === '' && end === '' ? {} : { quietHours: { start, end } }),
      maxPerHour: Number(input('max-per-hour').value || '10'),
      ...(cap === '' ? {} : { dailyCap: Number(cap) }),
      sendEmpty: input('send-empty').checked,
    };
  };
  showDelivery(undefined);
  const resetForm = (): void => {
    form.reset();
    showDelivery(undefined);
    setMode(undefined);
    preview.replaceChildren();
    previewVolume.textContent = '';
    queryStatus.textContent = '';
  };
  byId('cancel-edit').addEventListener('click', () => {
    clearErrors();
    resetForm();
  });
  form.addEventListener('submit', (event) => {
    event.preventDefault();
    void save();
  });
  const save = async (): Promise<void> => {
    clearErrors();
    const notice = byId('form-notice');
    const email = byId<HTMLInputElement>('email').value.trim();
    const phone = byId<HTMLInputElement>('phone').value.trim();
    const body = {
      name: byId<HTMLInputElement>('name').value,
      query: queryInput.value,
      channels: {
        ...(email === '' ? {} : { email }),
        ...(phone === '' ? {} : { phone }),
        ...(byId<HTMLInputElement>('sns').checked ? { sns: true } : {}),
      },
      updates: byId<HTMLSelectElement>('updates').value,
      delivery: readDelivery(),
    };
    const editingId = editing?.id;
    const { status, data } =
      editingId === undefined
        ? await call('POST', 'subscriptions', body)
        : await call('PATCH', `subscriptions/${encodeURIComponent(editingId)}`, body);
    if (status !== (editingId === undefined ? 201 : 200)) {
      showError(
        data,
        editingId === undefined
          ? `The alert was not created (HTTP ${status}).`
          : `The changes were not saved (HTTP ${status}).`,
      );
      return;
    }
    const { confirmations } = data as {
      confirmations: { channel: string; destination: string; status: string }[];
    };
    const done = editingId === undefined ? 'Alert created.' : 'Changes saved.';
    notice.textContent =
      confirmations.length === 0
        ? done
        : `${done} ${confirmations
            .map((c) =>
              c.status === 'sent'
                ? c.channel === 'email'
                  ? `Check ${c.destination} for a confirmation link.`
                  : `Enter the code texted to ${c.destination} below.`
                : `The confirmation to ${c.destination} could not be sent: use "Resend" below.`,
            )
            .join(' ')}`;
    resetForm();
    await refresh();
  };

  // --- List, pause, resume, delete, confirm SMS, resend.
  const listStatus = byId('list-status');
  const list = byId('subscriptions');
  const act = async (method: string, path: string, body?: unknown): Promise<void> => {
    const { status, data } = await call(method, path, body);
    listStatus.textContent = status < 300 ? '' : errorText(data, `That did not work (HTTP ${status}).`);
    listStatus.className = status < 300 ? 'muted' : 'error';
    await refresh(status < 300);
  };
  const button = (label: string, onClick: () => void, secondary = true): HTMLButtonElement => {
    const element = make('button', label, secondary ? 'secondary' : undefined) as HTMLButtonElement;
    element.type = 'button';
    element.addEventListener('click', onClick);
    return element;
  };
  const channelLine = (subscription: SubscriptionView, channel: ChannelView): HTMLElement => {
    const base = `subscriptions/${encodeURIComponent(subscription.id)}`;
    const where =
      channel.type === 'email'
        ? channel.address
        : channel.type === 'sms'
          ? channel.phone
          : 'SNS alerts topic';
    const line = make(
      'span',
      `${channel.type}: ${where ?? ''} — ${channel.confirmed ? 'confirmed' : 'waiting for confirmation'}`,
      'channel',
    );
    line.dataset.channel = channel.type;
    if (!channel.confirmed && channel.type === 'sms') {
      const code = make('input', undefined, 'code') as HTMLInputElement;
      code.placeholder = '6-digit code';
      code.inputMode = 'numeric';
      code.maxLength = 6;
      code.setAttribute('aria-label', `Code texted to ${where ?? ''}`);
      line.append(
        ' ',
        code,
        button(
          'Confirm',
          () => void act('POST', `${base}/channels/sms/confirm`, { code: code.value.trim() }),
        ),
      );
    }
    if (!channel.confirmed && channel.type !== 'sns') {
      line.append(button('Resend', () => void act('POST', `${base}/channels/${channel.type}/resend`)));
    }
    return line;
  };
  /** Active but with no channel confirmed yet: nothing is sent, so it does not say "active". */
  const statusBadge = (subscription: SubscriptionView): HTMLElement => {
    const awaiting =
      subscription.status === 'active' &&
      subscription.channels.length > 0 &&
      !subscription.channels.some((channel) => channel.confirmed);
    return awaiting
      ? make('span', 'awaiting confirmation', 'status awaiting')
      : make('span', subscription.status, `status ${subscription.status}`);
  };
  const render = (subscriptions: readonly SubscriptionView[]): void => {
    list.replaceChildren();
    for (const subscription of subscriptions) {
      const base = `subscriptions/${encodeURIComponent(subscription.id)}`;
      const item = make('li');
      item.dataset.id = subscription.id;
      item.append(
        make('strong', subscription.name),
        ' ',
        statusBadge(subscription),
        make('code', subscription.query, 'query'),
        ...subscription.channels.map((channel) => channelLine(subscription, channel)),
        ...(subscription.channels.length === 0
          ? [
              make(
                'span',
                'No channel left (unsubscribed from all): delete it, or add one through the API.',
                'channel muted',
              ),
            ]
          : []),
        subscription.status === 'active'
          ? button('Pause', () => void act('POST', `${base}/pause`))
          : button('Resume', () => void act('POST', `${base}/resume`)),
        button('Edit', () => startEdit(subscription)),
        button('Delete', () => {
          if (window.confirm(`Delete the alert "${subscription.name}"?`)) void act('DELETE', base);
        }),
      );
      list.append(item);
    }
    if (subscriptions.length === 0) list.append(make('li', 'No alerts yet.', 'muted'));
  };
  const refresh = async (clearStatus = true): Promise<void> => {
    const { status, data } = await call('GET', 'subscriptions');
    if (status !== 200) {
      listStatus.textContent = errorText(data, `Could not load your alerts (HTTP ${status}).`);
      listStatus.className = 'error';
      return;
    }
    if (clearStatus) listStatus.textContent = '';
    render((data as { subscriptions: SubscriptionView[] }).subscriptions);
  };

  // `?sign-in` (the stack's SignInUrl output, a link to hand out) starts the sign-in at once.
  const askedToSignIn = new URLSearchParams(window.location.search).has('sign-in');
  void finishSignIn().then((problem) => {
    if (token() === null || problem !== undefined) showSignIn(problem);
    else showApp();
    if (askedToSignIn && token() === null && problem === undefined) void startSignIn();
  });
}
