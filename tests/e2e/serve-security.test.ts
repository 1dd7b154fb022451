/**
 * `tapedeck serve` lets only this launch's browser tab in (secret, Host, Origin and argument
 * checks) and keeps its user-data folder private.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { startCli, type CliRun } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const tmp = tempDir('serve-sec');

function connect(url: string, headers: Record<string, string>): Promise<{ ws: WebSocket | null; status: number | null }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers });
    ws.once('open', () => resolve({ ws, status: 101 }));
    ws.once('unexpected-response', (_req, res) => resolve({ ws: null, status: res.statusCode ?? null }));
    ws.once('error', () => resolve({ ws: null, status: null }));
  });
}

function call(ws: WebSocket, message: unknown): Promise<Record<string, unknown>> {
  return new Promise((resolve) => {
    const onMessage = (data: WebSocket.RawData) => {
      const m = JSON.parse(data.toString()) as Record<string, unknown>;
      if (m.t === 'result' || m.t === 'error') {
        ws.off('message', onMessage);
        resolve(m);
      }
    };
    ws.on('message', onMessage);
    ws.send(JSON.stringify(message));
  });
}

describe('serve security', () => {
  let serve: CliRun;
  let openUrl = '';
  let base = '';
  let token = '';
  const userData = join(tmp.dir, 'user');
  before(async () => {
    // A folder that exists with loose permissions is tightened, not only a new one created 0700.
    mkdirSync(userData, { mode: 0o755 });
    chmodSync(userData, 0o755);
    serve = startCli(['serve', '--port', '0', '--user-data', userData]);
    openUrl = await waitFor('the serve URL', () => /listening on (\S+)/.exec(serve.stdout())?.[1], 30_000);
    const u = new URL(openUrl);
    base = u.origin;
    token = u.searchParams.get('token') ?? '';
  });
  after(async () => {
    serve.child.kill('SIGTERM');
    await serve.exit;
    tmp.cleanup();
  });

  test('prints one line with a loopback URL and a strong per-launch secret', () => {
    assert.match(openUrl, /^http:\/\/127\.0\.0\.1:\d+\/\?token=[\w-]{40,}$/);
    assert.equal(serve.stdout().trim().split('\n').length, 1);
  });

  test('the page needs the secret; the secret becomes an HttpOnly cookie', async () => {
    assert.equal((await fetch(`${base}/`)).status, 401);
    assert.equal((await fetch(`${base}/?token=wrong`)).status, 401);
    const ok = await fetch(openUrl);
    assert.equal(ok.status, 200);
    const cookie = ok.headers.get('set-cookie') ?? '';
    assert.match(cookie, /HttpOnly/);
    assert.match(ok.headers.get('content-security-policy') ?? '', /default-src 'none'/);
    assert.equal((await fetch(`${base}/`, { headers: { cookie: cookie.split(';')[0]! } })).status, 200);
  });

  test('a request naming another host is refused (DNS rebinding)', async () => {
    const port = new URL(base).port;
    const res = await new Promise<number>((resolve) => {
      import('node:http').then(({ request }) => {
        const req = request({ host: '127.0.0.1', port, path: `/?token=${token}`, headers: { host: `evil.example:${port}` } }, (r) => resolve(r.statusCode ?? 0));
        req.end();
      });
    });
    assert.equal(res, 421);
  });

  test('the bridge needs our Origin and the secret', async () => {
    const bridge = base.replace('http', 'ws') + '/bridge';
    const cookie = `tapedeck_session=${token}`;
    assert.equal((await connect(bridge, { Origin: 'http://evil.example', Cookie: cookie })).status, 403);
    assert.equal((await connect(bridge, { Origin: base })).status, 403);
    assert.equal((await connect(bridge, { Origin: base, Cookie: 'tapedeck_session=wrong' })).status, 403);
    const { ws, status } = await connect(bridge, { Origin: base, Cookie: cookie });
    assert.equal(status, 101);
    try {
      const snap = await call(ws!, { t: 'invoke', id: 1, name: 'app:snapshot', arg: null });
      assert.equal(snap.ok, true);
      const unknown = await call(ws!, { t: 'invoke', id: 2, name: 'fs:read', arg: '/etc/passwd' });
      assert.deepEqual([unknown.ok, unknown.id], [false, 2]);
      assert.match(String(unknown.error), /unknown command/);
      const bad = await call(ws!, { t: 'invoke', id: 3, name: 'recording:set', arg: { on: 'yes' } });
      assert.deepEqual([bad.ok, bad.id], [false, 3]);
      assert.match(String(bad.error), /invalid argument/);
      const garbage = await call(ws!, 'not a request');
      assert.equal(garbage.t, 'error');
    } finally {
      ws!.close();
    }
  });

  test('the user-data folder is 0700 (an existing one is tightened), and so is the exports folder', () => {
    assert.equal(statSync(userData).mode & 0o777, 0o700);
    assert.equal(statSync(join(userData, 'exports')).mode & 0o777, 0o700);
  });

  test('source maps are not served without --source-maps', async () => {
    assert.equal((await fetch(`${base}/app.js`)).status, 200);
    assert.equal((await fetch(`${base}/app.js.map`)).status, 404);
  });
});
