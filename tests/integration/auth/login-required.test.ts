/**
 * A refused or expired saved login stops streaming with "log in again" instead of retrying for
 * ever: the token endpoint's refusal is recognised, the token manager stops asking, and the
 * streamer client ends with a fatal event that says a login is needed.
 */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { LoginRequiredError, OAuthError } from '../../../electron/node/auth/oauth-flow.js';
import { refreshTokens } from '../../../electron/node/auth/token-endpoint.js';
import { startHarness } from '../../helpers/engine-harness.js';
import { waitFor } from '../../helpers/wait.js';

const saved = { provider: 'schwab' as const, access_token: 'a', refresh_token: 'r', expires_at: 0, refresh_expires_at: 0 };

async function tokenServer(status: number, body: unknown): Promise<{ url: string; close: () => Promise<void> }> {
  const server = createServer((req, res) => {
    req.resume();
    res.writeHead(status, { 'Content-Type': 'application/json' }).end(JSON.stringify(body));
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return { url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`, close: () => new Promise((r) => server.close(() => r())) };
}

test('a refresh refused with 400 or 401 means log in again; a server error does not', async () => {
  for (const [status, body, loginRequired] of [
    [400, { error: 'invalid_client', error_description: 'refresh token expired' }, true],
    [401, { error: 'invalid_grant' }, true],
    [500, { error: 'server_error' }, false],
  ] as const) {
    const server = await tokenServer(status, body);
    try {
      const err = await refreshTokens({ dialect: 'schwab', apiBase: server.url, app: { appKey: 'k', appSecret: 's' } }, saved).then(
        () => assert.fail('the refresh should fail'),
        (e: unknown) => e,
      );
      assert.ok(err instanceof OAuthError, String(err));
      assert.equal(err instanceof LoginRequiredError, loginRequired, `${status}: ${(err as Error).message}`);
      if (loginRequired) assert.match((err as Error).message, /^log in again \(tapedeck login, or Log in in the app\): .*invalid_(client|grant)/);
    } finally {
      await server.close();
    }
  }
});

test('after the saved login expires, the next reconnect stops streaming and says a login is needed', async (t) => {
  const h = await startHarness({
    dialect: 'schwab',
    sim: { accessTokenTtlSec: 1, refreshTokenTtlSec: { schwab: 1, tdameritrade: 1 } },
    subscriptions: [{ service: 'LEVELONE_EQUITIES', keys: ['AAPL'] }],
  });
  t.after(async () => {
    await h.close();
    h.cleanup();
  });
  await waitFor('streaming', () => h.engine.status().connection === 'streaming');
  // The simulator's refresh token lives 1 s and is not extended by refreshes (as Schwab's): the
  // access token then runs out and stays so. The live socket keeps streaming until it drops.
  await waitFor('the access token to run out unrenewed', () => Date.now() > h.tokens.current().expires_at + 200 || undefined, 15_000);
  h.sim.trigger('drop');
  const fatal = await waitFor('the fatal event', () => h.events.find((e) => e.type === 'fatal'), 15_000);
  assert.equal(fatal.type === 'fatal' && fatal.loginRequired, true, JSON.stringify(fatal));
  const status = h.engine.status();
  assert.equal(status.connection, 'failed');
  assert.equal(status.loginRequired, true);
  assert.match(status.detail ?? '', /log in again/);
});
