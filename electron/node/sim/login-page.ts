/** The simulator's authorize page: a broker-style sign-in form, clearly labelled as a simulation. */
import { escapeHtml } from './http-util.js';

export interface LoginPageOptions {
  /** Where the form posts: the authorize path itself. */
  action: string;
  broker: string;
  /** client_id, redirect_uri, state …: carried through the form untouched. */
  hidden: Record<string, string>;
  error?: string;
  username?: string;
}

export function loginPage(o: LoginPageOptions): string {
  const hidden = Object.entries(o.hidden)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('\n    ');
  const app = o.hidden.client_id ?? '';
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <meta name="viewport" content="width=device-width, initial-scale=1">
  <!-- No form-action: Chromium applies it to the redirect to the client's callback, on another origin. -->
  <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
  <title>${escapeHtml(o.broker)} — Sign in (Tapedeck simulator)</title>
  <style>
    body { font-family: system-ui, -apple-system, "Segoe UI", sans-serif; background: #eef1f5; color: #1f2933; margin: 0; }
    header { background: #0b3d6b; color: #fff; padding: .9rem 1.5rem; font-weight: 600; letter-spacing: .02em; }
    .banner { background: #fff4d6; color: #7a4b00; border-bottom: 1px solid #f1d48a; padding: .5rem 1.5rem; font-size: .9rem; }
    main { display: grid; place-items: center; padding: 3rem 1rem; }
    form { background: #fff; padding: 2rem 2.25rem; border-radius: 6px; width: min(22rem, 100%); box-shadow: 0 2px 14px #0002; }
    h1 { font-size: 1.3rem; margin: 0 0 .4rem; }
    p.app { color: #52606d; font-size: .85rem; margin: 0 0 1.2rem; word-break: break-all; }
    label { display: block; font-size: .85rem; font-weight: 600; margin: .9rem 0 .3rem; }
    input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: .55rem .6rem; border-radius: 4px; border: 1px solid #9aa5b1; font-size: 1rem; }
    button { margin-top: 1.4rem; width: 100%; padding: .65rem; border: 0; border-radius: 4px; background: #1a6fd1; color: #fff; font-size: 1rem; font-weight: 600; cursor: pointer; }
    .error { color: #b42318; font-size: .9rem; margin-top: .9rem; }
  </style>
</head>
<body>
  <header>${escapeHtml(o.broker)}</header>
  <div class="banner" role="note"><strong>Tapedeck simulator — not a real broker.</strong> Any user name and password are accepted; nothing you type leaves this computer.</div>
  <main>
  <form method="post" action="${escapeHtml(o.action)}">
    <h1>Log in to authorize access</h1>
    <p class="app">Application: ${escapeHtml(app)}</p>
    ${hidden}
    <label for="username">Login ID</label>
    <input type="text" id="username" name="username" autocomplete="username" value="${escapeHtml(o.username ?? '')}" autofocus>
    <label for="password">Password</label>
    <input type="password" id="password" name="password" autocomplete="current-password">
    ${o.error ? `<div class="error" role="alert">${escapeHtml(o.error)}</div>` : ''}
    <button type="submit" id="accept">Accept</button>
  </form>
  </main>
</body>
</html>`;
}
