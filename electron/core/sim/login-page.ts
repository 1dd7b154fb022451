/** The simulator's authorize page: a broker-style login form, clearly labelled as a simulation. */
const escapeHtml = (s: string) => s.replace(/&/g, '&amp;').replace(/</g, '&lt;').replace(/>/g, '&gt;').replace(/"/g, '&quot;').replace(/'/g, '&#39;');

export function loginPage(opts: { action: string; hidden: Record<string, string>; error?: string; broker: string }): string {
  const hidden = Object.entries(opts.hidden)
    .map(([k, v]) => `<input type="hidden" name="${escapeHtml(k)}" value="${escapeHtml(v)}">`)
    .join('\n      ');
  return `<!doctype html>
<html lang="en">
<head>
  <meta charset="utf-8">
  <!-- No form-action: Chromium applies it to the redirect to the client's callback, on another origin. -->
  <meta http-equiv="Content-Security-Policy" content="default-src 'none'; style-src 'unsafe-inline'">
  <title>${escapeHtml(opts.broker)} login — Tapedeck simulator</title>
  <style>
    body { font-family: system-ui, sans-serif; background: #0f1720; color: #e5e7eb; display: grid; place-items: center; min-height: 100vh; margin: 0; }
    form { background: #17212e; padding: 2rem 2.5rem; border-radius: 8px; width: 20rem; box-shadow: 0 8px 30px #0008; }
    h1 { font-size: 1.2rem; margin: 0 0 .25rem; } p.sim { color: #fbbf24; font-size: .8rem; margin: 0 0 1.25rem; }
    label { display: block; font-size: .85rem; margin: .75rem 0 .25rem; }
    input[type=text], input[type=password] { width: 100%; box-sizing: border-box; padding: .5rem; border-radius: 4px; border: 1px solid #334155; background: #0b1220; color: inherit; }
    button { margin-top: 1.25rem; width: 100%; padding: .6rem; border: 0; border-radius: 4px; background: #2563eb; color: white; font-weight: 600; cursor: pointer; }
    .error { color: #f87171; font-size: .85rem; margin-top: .75rem; }
  </style>
</head>
<body>
  <form method="post" action="${escapeHtml(opts.action)}">
      <h1>${escapeHtml(opts.broker)} — sign in</h1>
      <p class="sim">Tapedeck simulator — not a real broker. Any user name and password work.</p>
      ${hidden}
      <label for="username">User name</label>
      <input type="text" id="username" name="username" autocomplete="username" autofocus>
      <label for="password">Password</label>
      <input type="password" id="password" name="password" autocomplete="current-password">
      ${opts.error ? `<div class="error" role="alert">${escapeHtml(opts.error)}</div>` : ''}
      <button type="submit" id="accept">Accept</button>
  </form>
</body>
</html>`;
}
