/**
 * `tapedeck serve` lets only this launch's browser tab in (secret, host name, Origin and argument
 * checks), keeps its user-data folder private, and survives whatever a client sends: hostile
 * export names, oversized or malformed WebSocket messages, garbage request lines.
 */
import assert from 'node:assert/strict';
import { chmodSync, mkdirSync, mkdtempSync, statSync, symlinkSync, writeFileSync, existsSync } from 'node:fs';
import { connect as netConnect } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { startCli, type CliRun } from '../helpers/cli.js';
import { httpGet, wsLoopback } from '../helpers/loopback.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const tmp = tempDir('serve-sec');

function connect(url: string, headers: Record<string, string>): Promise<{ ws: WebSocket | null; status: number | null }> {
  return new Promise((resolve) => {
    const ws = new WebSocket(url, { headers, ...wsLoopback });
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

/** Sends raw bytes and returns the status line of the answer (or '' if the server just closed). */
function rawRequest(port: number, bytes: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const socket = netConnect(port, '127.0.0.1', () => socket.write(bytes));
    let got = '';
    socket.on('data', (d: Buffer) => (got += d.toString('latin1')));
    socket.on('end', () => resolve(got.split('\r\n')[0] ?? ''));
    socket.on('error', reject);
  });
}

const closeCode = (ws: WebSocket) => new Promise<number>((resolve) => ws.once('close', (code) => resolve(code)));

describe('serve security', () => {
  let serve: CliRun;
  let openUrl = '';
  let base = '';
  let port = 0;
  let token = '';
  let cookie = '';
  const userData = join(tmp.dir, 'user');
  const bridge = () => `${base.replace('http', 'ws')}/bridge`;

  before(async () => {
    // A folder that exists with loose permissions is tightened, not only a new one created 0700.
    mkdirSync(userData, { mode: 0o755 });
    chmodSync(userData, 0o755);
    serve = startCli(['serve', '--port', '0', '--user-data', userData]);
    openUrl = await waitFor('the serve URL', () => /listening on (\S+)/.exec(serve.stdout())?.[1], 30_000);
    const u = new URL(openUrl);
    base = u.origin;
    port = Number(u.port);
    token = u.searchParams.get('token') ?? '';
    cookie = `tapedeck_session=${token}`;
  });
  after(async () => {
    serve.child.kill('SIGTERM');
    await serve.exit;
    tmp.cleanup();
  });

  /** serve is alive and serving: the process runs, the page loads, the bridge answers. */
  async function assertStillServing(): Promise<void> {
    assert.equal(serve.child.exitCode, null, `serve exited: ${serve.stderr()}`);
    assert.equal((await httpGet(`${base}/`, { cookie })).status, 200);
    const { ws, status } = await connect(bridge(), { Origin: base, Cookie: cookie });
    assert.equal(status, 101);
    try {
      assert.equal((await call(ws!, { t: 'invoke', id: 1, name: 'app:snapshot', arg: null })).ok, true);
    } finally {
      ws!.close();
    }
  }

  test('prints one line with a per-launch .localhost name and a strong per-launch secret', () => {
    assert.match(openUrl, /^http:\/\/tapedeck-[a-z2-7]{16}\.localhost:\d+\/\?token=[\w-]{40,}$/);
    assert.equal(serve.stdout().trim().split('\n').length, 1);
  });

  test('the page needs the secret; the secret becomes a host-only, HttpOnly, SameSite=Strict cookie', async () => {
    assert.equal((await httpGet(`${base}/`)).status, 401);
    assert.equal((await httpGet(`${base}/?token=wrong`)).status, 401);
    const ok = await httpGet(openUrl);
    assert.equal(ok.status, 200);
    const set = String(ok.headers['set-cookie'] ?? '');
    assert.match(set, /HttpOnly/);
    assert.match(set, /SameSite=Strict/);
    assert.doesNotMatch(set, /Domain=/i, 'host-only: no Domain attribute');
    assert.match(String(ok.headers['content-security-policy']), /default-src 'none'/);
    assert.equal((await httpGet(`${base}/`, { cookie: set.split(';')[0]! })).status, 200);
  });

  test('the app answers only on its own host name (no DNS rebinding, not on 127.0.0.1)', async () => {
    for (const host of [`evil.example:${port}`, `127.0.0.1:${port}`, `localhost:${port}`, `tapedeck-aaaaaaaaaaaaaaaa.localhost:${port}`]) {
      assert.equal((await httpGet(`http://127.0.0.1:${port}/?token=${token}`, { host, cookie })).status, 421, host);
    }
  });

  test('the bridge needs our Origin, our host name and the secret', async () => {
    // Each refusal holds everything else right: only the one missing check can turn it away.
    assert.equal((await connect(bridge(), { Cookie: cookie })).status, 403, 'no Origin');
    assert.equal((await connect(`ws://127.0.0.1:${port}/bridge`, { Origin: base, Cookie: cookie })).status, 403, 'Host 127.0.0.1');
    assert.equal((await connect(`ws://evil.example:${port}/bridge`, { Origin: base, Cookie: cookie })).status, 403, 'a rebinding Host');
    assert.equal((await connect(`${bridge()}?token=${token}`, { Cookie: cookie })).status, 403, 'no Origin, secret in the URL');
    assert.equal((await connect(bridge(), { Origin: 'http://evil.example', Cookie: cookie })).status, 403);
    assert.equal((await connect(bridge(), { Origin: `http://127.0.0.1:${port}`, Cookie: cookie })).status, 403);
    assert.equal((await connect(bridge(), { Origin: base })).status, 403);
    assert.equal((await connect(bridge(), { Origin: base, Cookie: 'tapedeck_session=wrong' })).status, 403);
    const { ws, status } = await connect(bridge(), { Origin: base, Cookie: cookie });
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
    assert.equal((await httpGet(`${base}/app.js`)).status, 200);
    assert.equal((await httpGet(`${base}/app.js.map`)).status, 404);
  });

  test('exports: only regular files with plain names are served; hostile names are refused and serve lives on', async () => {
    const exportsDir = join(userData, 'exports');
    writeFileSync(join(exportsDir, 'ticks.csv'), 'a,b\r\n1,2\r\n');
    mkdirSync(join(exportsDir, 'folder.csv'));
    symlinkSync('/etc/hostname', join(exportsDir, 'link.csv'));
    const outside = mkdtempSync(join(tmp.dir, 'outside-'));
    writeFileSync(join(outside, 'x.csv'), 'outside');
    const ok = await httpGet(`${base}/exports/ticks.csv`, { cookie });
    assert.deepEqual([ok.status, ok.body], [200, 'a,b\r\n1,2\r\n']);
    assert.equal((await httpGet(`${base}/exports/ticks.csv`)).status, 401, 'the secret is needed');
    for (const name of ['.%2f', '..%2f', '%2e%2f', '..%5c', '%2e%2e%2f%2e%2e%2fetc%2fpasswd', '', '%E0%A4%A', 'a%00b', 'folder.csv', 'link.csv', 'missing.csv', `..%2f${outside.split('/').pop()}%2fx.csv`]) {
      const res = await httpGet(`${base}/exports/${name}`, { cookie });
      assert.equal(res.status, 404, name);
    }
    // Dot segments are resolved by the URL parser before routing: these are not export requests at all.
    for (const name of ['.', '%2e', '..', '%2e%2e']) {
      const res = await httpGet(`${base}/exports/${name}`, { cookie });
      assert.ok(res.status < 500 && res.headers['content-disposition'] === undefined, name);
    }
    await assertStillServing();
  });

  test('oversized, invalid UTF-8 and binary bridge messages close that socket with a clear code; serve lives on', async () => {
    const open = async () => {
      const { ws } = await connect(bridge(), { Origin: base, Cookie: cookie });
      assert.ok(ws);
      ws.on('error', () => undefined);
      return ws;
    };
    const big = await open();
    const bigClosed = closeCode(big);
    big.send('x'.repeat((1 << 20) + 1));
    assert.equal(await bigClosed, 1009, 'message too big');
    const utf8 = await open();
    const utf8Closed = closeCode(utf8);
    utf8.send(Buffer.from([0x7b, 0xff, 0xfe, 0x7d]), { binary: false });
    assert.equal(await utf8Closed, 1007, 'invalid UTF-8');
    const binary = await open();
    const binaryClosed = closeCode(binary);
    binary.send(Buffer.from('{}'), { binary: true });
    assert.equal(await binaryClosed, 1003, 'binary frame');
    await assertStillServing();
  });

  test('garbage request lines and aborted handshakes are answered or dropped; serve lives on', async () => {
    assert.match(await rawRequest(port, 'GET http://[ HTTP/1.1\r\nHost: x\r\nConnection: close\r\n\r\n'), /^HTTP\/1\.1 4\d\d/);
    assert.match(await rawRequest(port, 'GARBAGE\r\n\r\n'), /^HTTP\/1\.1 400/);
    // An upgrade cut off mid-handshake.
    await new Promise<void>((resolve) => {
      const socket = netConnect(port, '127.0.0.1', () => {
        socket.write(`GET /bridge HTTP/1.1\r\nHost: ${new URL(base).host}\r\nUpgrade: websocket\r\nConnection: Upgrade\r\n`);
        socket.resetAndDestroy();
        resolve();
      });
    });
    await assertStillServing();
    assert.ok(existsSync(userData));
  });
});
