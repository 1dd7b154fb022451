/**
 * Browser-mode login through `tapedeck serve` against `tapedeck sim`: the broker's redirect to
 * http://127.0.0.1:PORT/oauth/callback completes the login only with the state the login issued.
 * Forged or stray requests to the callback are refused and leave the login pending, and the tab
 * ends on a "signed in" page of its own.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { startCli, type CliRun } from '../helpers/cli.js';
import { httpGet, wsLoopback } from '../helpers/loopback.js';
import { acceptInBrowser } from '../helpers/sim-login.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const tmp = tempDir('serve-oauth');

function invoke(ws: WebSocket, id: number, name: string, arg: unknown): Promise<{ ok: boolean; value?: Record<string, unknown>; error?: string }> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const m = JSON.parse(data.toString()) as { t: string; id?: number; ok: boolean; value?: Record<string, unknown>; error?: string };
      if (m.t === 'result' && m.id === id) {
        ws.off('message', onMessage);
        resolve(m);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify({ t: 'invoke', id, name, arg }));
  });
}

describe('serve: the OAuth callback', () => {
  let serve: CliRun;
  let sim: CliRun;
  let ws: WebSocket;
  let port = 0;
  let callback = '';

  before(async () => {
    serve = startCli(['serve', '--port', '0', '--user-data', tmp.dir, '--rate', '100']);
    sim = startCli(['sim', '--port', '0', '--rate', '100']);
    const openUrl = new URL(await waitFor('serve URL', () => /listening on (\S+)/.exec(serve.stdout())?.[1], 30_000));
    const simUrl = await waitFor('sim URL', () => /listening on (\S+)/.exec(sim.stdout())?.[1], 30_000);
    port = Number(openUrl.port);
    callback = `http://127.0.0.1:${port}/oauth/callback`;
    ws = await new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(`ws://${openUrl.host}/bridge`, {
        headers: { Origin: openUrl.origin, Cookie: `tapedeck_session=${openUrl.searchParams.get('token')}` },
        ...wsLoopback,
      });
      socket.once('open', () => resolve(socket));
      socket.once('error', reject);
    });
    const saved = await invoke(ws, 1, 'settings:save', {
      provider: 'schwab',
      schwab: { appKey: 'serve-app-key', appSecret: 'serve-app-secret', callbackUrl: callback, apiBase: simUrl, authBase: simUrl },
    });
    assert.equal(saved.ok, true, saved.error);
  });

  after(async () => {
    ws?.close();
    serve.child.kill('SIGTERM');
    sim.child.kill('SIGTERM');
    await Promise.all([serve.exit, sim.exit]);
    tmp.cleanup();
  });

  test('forged and stray callbacks are refused and the pending login still completes', async () => {
    const login = await invoke(ws, 2, 'auth:login', null);
    assert.equal(login.value?.kind, 'browser');
    const redirect = await acceptInBrowser(String(login.value?.url));
    assert.ok(redirect.startsWith(`${callback}?`), redirect);

    const forged = await httpGet(`${callback}?code=stolen&state=forged`);
    assert.equal(forged.status, 400);
    assert.match(forged.body, /state/);
    assert.equal((await httpGet(callback)).status, 400, 'no state at all');
    assert.equal((await httpGet(redirect, { host: `evil.example:${port}` })).status, 421, 'a rebound host name');

    const done = await httpGet(redirect);
    assert.equal(done.status, 200, done.body);
    assert.match(done.body, /Signed in — you can close this tab/);
    assert.equal(done.headers.location, undefined, 'no redirect into a second copy of the app');
    const settings = await invoke(ws, 3, 'settings:get', null);
    assert.equal((settings.value?.schwab as { loggedIn: boolean }).loggedIn, true);
    // The code was used once: replaying the redirect finds no login in progress.
    assert.equal((await httpGet(redirect)).status, 400);
  });
});
