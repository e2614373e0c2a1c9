import { CONTENT_SECURITY_POLICY } from '../api/http.ts';
import { escapeHtml } from '../core/alerts/text.ts';
import { htmlDocument } from './document.ts';

/** Where the page signs in: a Cognito managed login domain (or the local stack's stand-in) and its client. */
export interface PageSignIn {
  readonly authUrl: string;
  readonly clientId: string;
}

/** The page's policy: the default, plus the sign-in domain's token endpoint for the code exchange. */
export function pagePolicy(signIn: PageSignIn | undefined): string | undefined {
  if (signIn === undefined) return undefined;
  const origin = new URL(signIn.authUrl).origin;
  return CONTENT_SECURITY_POLICY.replace("connect-src 'self'", `connect-src 'self' ${origin}`);
}

/**
 * The subscribe page's HTML and stylesheet. No inline script or style (the CSP forbids them): behaviour is
 * in app.js (see app.ts), looks in app.css. Paths are relative so the page works under any stage path.
 */
export function pageHtml(options: { readonly signIn?: PageSignIn | undefined } = {}): string {
  const signIn =
    options.signIn === undefined
      ? ''
      : '<p><button type="button" id="oauth-sign-in">Sign in with your Wirewatch account</button></p>';
  const bodyData =
    options.signIn === undefined
      ? ''
      : ` data-auth-url="${escapeHtml(options.signIn.authUrl)}" data-client-id="${escapeHtml(options.signIn.clientId)}"`;
  return htmlDocument({
    title: 'Wirewatch · news alerts',
    head: '<script src="app.js" defer></script>\n',
    bodyAttributes: bodyData,
    body: `<header>
  <h1>Wirewatch</h1>
  <div id="session" hidden><span id="session-user"></span> <button type="button" id="sign-out">Sign out</button></div>
</header>
<main>
<section id="sign-in">
  <h2>Sign in</h2>
  ${signIn}
  <p>Or paste an access token (on the local stack: <code>.wirewatch/dev-token</code>, printed by <code>npm start</code>).</p>
  <label for="token-input">Token</label>
  <textarea id="token-input" rows="3" autocomplete="off" spellcheck="false"></textarea>
  <button type="button" id="token-save">Use this token</button>
  <p class="error" id="sign-in-error" role="alert"></p>
</section>
<section id="app" hidden>
  <form id="create-form" novalidate>
    <h2 id="form-title">New alert</h2>
    <label for="name">Name</label>
    <input id="name" maxlength="100" required placeholder="Lisbon fishing talks" aria-describedby="name-error">
    <p class="error field-error" id="name-error" role="alert"></p>
    <label for="query">Query</label>
    <textarea id="query" rows="3" spellcheck="false" placeholder='"fishing quotas" AND (Lisbon OR Porto)' aria-describedby="query-status"></textarea>
    <p id="query-status" class="muted" aria-live="polite"></p>
    <pre id="query-marker" class="marker" hidden></pre>
    <p id="preview-volume" class="muted" aria-live="polite"></p>
    <ol id="preview"></ol>
    <fieldset>
      <legend>Send alerts to</legend>
      <label for="email">E-mail</label>
      <input id="email" type="email" maxlength="254" placeholder="you@example.com" aria-describedby="email-error">
      <p class="error field-error" id="email-error" role="alert"></p>
      <label for="phone">Mobile (SMS)</label>
      <input id="phone" type="tel" maxlength="16" placeholder="+14155550123" aria-describedby="phone-error">
      <p class="error field-error" id="phone-error" role="alert"></p>
      <label class="inline"><input id="sns" type="checkbox"> the SNS alerts topic</label>
      <p class="error field-error" id="channels-error" role="alert"></p>
    </fieldset>
    <label for="updates">Later versions of a story</label>
    <select id="updates" aria-describedby="updates-error">
      <option value="first">only the first version</option>
      <option value="substantive">also when the story changes materially</option>
      <option value="corrections">also every correction</option>
    </select>
    <p class="error field-error" id="updates-error" role="alert"></p>
    <fieldset id="delivery">
      <legend>When</legend>
      <label for="time-zone">Time zone</label>
      <input id="time-zone" maxlength="64" placeholder="Europe/Berlin" aria-describedby="delivery-error">
      <label for="cadence">E-mail</label>
      <select id="cadence">
        <option value="immediate">as it happens</option>
        <option value="hourly">hourly digest</option>
        <option value="daily">daily digest</option>
        <option value="weekly">weekly digest</option>
      </select>
      <label for="digest-day">Digest day (weekly)</label>
      <select id="digest-day">
        <option>monday</option><option>tuesday</option><option>wednesday</option><option>thursday</option>
        <option>friday</option><option>saturday</option><option>sunday</option>
      </select>
      <label for="digest-at">Digest time (daily, weekly)</label>
      <input id="digest-at" maxlength="5" placeholder="08:00" value="08:00">
      <label for="quiet-start">Quiet hours (no e-mail or SMS; flash and bulletin stories still go)</label>
      <input id="quiet-start" maxlength="5" placeholder="22:00"> to <input id="quiet-end" maxlength="5" placeholder="07:00">
      <label for="max-per-hour">At most this many alerts an hour (the rest in the next hourly digest)</label>
      <input id="max-per-hour" type="number" min="1" max="1000" value="10">
      <label for="daily-cap">At most this many alerts a day (then a daily digest; empty: no cap)</label>
      <input id="daily-cap" type="number" min="1" max="10000">
      <label class="inline"><input id="send-empty" type="checkbox"> send the digest at every due time, "no new stories" if nothing is new</label>
      <p class="error field-error" id="delivery-error" role="alert"></p>
    </fieldset>
    <button type="submit" id="create">Create alert</button>
    <button type="button" id="cancel-edit" class="secondary" hidden>Cancel</button>
    <p class="error" id="form-error" role="alert"></p>
    <p class="notice" id="form-notice" aria-live="polite"></p>
  </form>
  <section>
    <h2>Your alerts</h2>
    <p id="list-status" class="muted"></p>
    <ul id="subscriptions"></ul>
  </section>
</section>
</main>`,
  });
}

export const PAGE_CSS = `
:root { font-family: system-ui, sans-serif; color: #1b1f24; background: #f6f7f9; }
body { margin: 0; }
header { display: flex; justify-content: space-between; align-items: center; padding: .5rem 1.5rem; background: #13315c; color: #fff; }
header h1 { font-size: 1.25rem; margin: 0; }
main, .narrow { max-width: 46rem; margin: 1.5rem auto; padding: 0 1rem; }
section, form { background: #fff; border-radius: 8px; padding: 1rem 1.25rem; margin-bottom: 1.25rem; box-shadow: 0 1px 3px rgba(0,0,0,.08); }
section section { box-shadow: none; padding: 0; }
label { display: block; font-weight: 600; margin: .75rem 0 .25rem; }
label.inline { font-weight: normal; }
input:not([type=checkbox]), textarea { width: 100%; box-sizing: border-box; padding: .45rem; font: inherit; border: 1px solid #b8c0cc; border-radius: 4px; }
textarea#query, textarea#token-input, .marker { font-family: ui-monospace, monospace; }
fieldset { border: 1px solid #d6dbe3; border-radius: 6px; margin: 1rem 0; }
button { font: inherit; padding: .4rem .9rem; border-radius: 4px; border: 1px solid #13315c; background: #13315c; color: #fff; cursor: pointer; margin: .25rem .25rem .25rem 0; }
button.secondary { background: #fff; color: #13315c; }
.error { color: #a4161a; min-height: 1em; }
.notice { color: #1b5e20; }
.muted { color: #5c6370; }
.valid { color: #1b5e20; }
.marker { background: #fff4e5; padding: .4rem; white-space: pre-wrap; word-break: break-all; }
.marker mark, #preview mark { background: #ffd166; }
#subscriptions { list-style: none; padding: 0; }
#subscriptions li { border-top: 1px solid #e3e7ed; padding: .75rem 0; }
.status { font-size: .8rem; padding: .1rem .4rem; border-radius: 3px; background: #e3e7ed; }
.status.active { background: #d8f3dc; }
.status.awaiting { background: #fff4e5; }
.field-error { margin: .2rem 0 0; font-size: .9rem; }
.field-error:empty { display: none; }
.channel { display: block; margin: .2rem 0; }
.code { width: 8rem !important; display: inline-block; }
code.query { display: block; margin: .25rem 0; }
`;
