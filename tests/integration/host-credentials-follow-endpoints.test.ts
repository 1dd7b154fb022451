/**
 * Credentials follow their endpoints, end to end: the real Host logs in to a local token server A,
 * then Settings point the broker at server B in the middle of a second login. B must never receive
 * A's app secret or tokens: completing that login fails asking for the secret again, nothing is
 * sent, and only a secret entered for B ever reaches B.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import type { EventName, Events } from '../../shared/api.js';
import { tempDir } from '../helpers/tmp.js';
import { startTestHost } from '../helpers/host.js';

interface Seen {
  method: string;
  url: string;
  authorization: string;
  body: string;
}

/** A stand-in broker that records every request and answers the token endpoint. */
async function tokenServer(label: string): Promise<{ url: string; seen: Seen[]; close: () => Promise<void> }> {
  const seen: Seen[] = [];
  const server: Server = createServer((req, res) => {
    let body = '';
    req.on('data', (d: Buffer) => (body += d.toString()));
    req.on('end', () => {
      seen.push({ method: req.method ?? '', url: req.url ?? '', authorization: req.headers.authorization ?? '', body });
      if (req.method === 'POST' && req.url === '/v1/oauth/token') {
        res.writeHead(200, { 'Content-Type': 'application/json' });
        res.end(JSON.stringify({ access_token: `${label}-access`, refresh_token: `${label}-refresh`, expires_in: 1800, refresh_token_expires_in: 604800 }));
      } else res.writeHead(404).end();
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    seen,
    close: () => new Promise((resolve) => server.close(() => resolve())),
  };
}

const basic = (key: string, secret: string) => `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;
const CALLBACK = 'https://127.0.0.1:8182/callback';

test('changing the endpoints mid-login sends nothing to the new host and asks for the app secret again', async (t) => {
  const { dir, cleanup } = tempDir('host-creds');
  const a = await tokenServer('a');
  const b = await tokenServer('b');
  t.after(() => Promise.all([a.close(), b.close()]));
  const host = await startTestHost(dir, { rate: 50, seed: 3 });
  // The host first, then its folder: a database deleted under a running recorder stops it with an error.
  t.after(async () => {
    await host.close();
    cleanup();
  });
  const said: string[] = [];
  host.on(<K extends EventName>(name: K, payload: Events[K]) => {
    if (name === 'engine:message') said.push((payload as Events['engine:message']).text);
  });
  const redirect = (state: string) => `${CALLBACK}?code=the-code&state=${encodeURIComponent(state)}`;
  const stateOf = (authorizeUrl: string) => new URL(authorizeUrl).searchParams.get('state')!;

  await host.invoke('settings:save', {
    provider: 'schwab',
    schwab: { appKey: 'APP-KEY', appSecret: 'OLD-SECRET', callbackUrl: CALLBACK, apiBase: a.url, authBase: a.url },
  });
  // A login with A works, and A sees the secret: this is what B must never see.
  const first = host.login.begin();
  assert.ok(first.authorizeUrl.startsWith(`${a.url}/v1/oauth/authorize?`));
  await host.login.complete(redirect(stateOf(first.authorizeUrl)));
  assert.ok(a.seen.some((r) => r.authorization === basic('APP-KEY', 'OLD-SECRET')), 'the exchange with A carried the secret');
  assert.equal((await host.invoke('settings:get', null)).schwab.loggedIn, true);

  // A second login starts against A; meanwhile the endpoints move to B.
  const second = host.login.begin();
  await host.invoke('settings:save', { schwab: { apiBase: b.url, authBase: b.url } });
  const view = await host.invoke('settings:get', null);
  assert.deepEqual([view.schwab.hasAppSecret, view.schwab.loggedIn], [false, false], 'secret and tokens cleared');
  assert.ok(said.some((m) => /address changed.*Enter the app secret again in Settings/.test(m)), 'the user is asked for the secret again');
  await assert.rejects(host.login.complete(redirect(stateOf(second.authorizeUrl))), /changed during the login, so nothing was sent\. Enter the app secret in Settings/);
  assert.throws(() => host.login.begin(), /Enter the app secret in Settings/);
  assert.equal(b.seen.length, 0, 'B received no request at all');

  // Only a secret entered for B reaches B.
  await host.invoke('settings:save', { schwab: { appSecret: 'NEW-SECRET' } });
  const third = host.login.begin();
  assert.ok(third.authorizeUrl.startsWith(`${b.url}/v1/oauth/authorize?`));
  await host.login.complete(redirect(stateOf(third.authorizeUrl)));
  assert.ok(b.seen.some((r) => r.authorization === basic('APP-KEY', 'NEW-SECRET')));
  for (const r of b.seen) {
    const decoded = r.authorization.startsWith('Basic ') ? Buffer.from(r.authorization.slice(6), 'base64').toString() : r.authorization;
    for (const old of ['OLD-SECRET', 'a-access', 'a-refresh']) {
      assert.ok(![decoded, r.body, r.url].some((text) => text.includes(old)), `${r.method} ${r.url} carried ${old}`);
    }
  }
});
