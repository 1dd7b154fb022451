/**
 * README "Command line", serve: "The app's UI in a browser, bound to 127.0.0.1", and "secrets
 * (0600) … live in --user-data"; Security: "In browser mode … they are an unencrypted 0600 file in
 * the 0700 user-data folder." Checked on the running `tapedeck serve`: the kernel's table of
 * listening sockets, connections to other addresses of this machine, and the secrets file a
 * Settings change writes through the bridge.
 */
import assert from 'node:assert/strict';
import { readFileSync, statSync } from 'node:fs';
import { connect } from 'node:net';
import { networkInterfaces } from 'node:os';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { startCli, type CliRun } from '../helpers/cli.js';
import { wsLoopback } from '../helpers/loopback.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const tmp = tempDir('serve-bind');

/** Resolves 'connected' or the connection error's code. */
function tryConnect(host: string, port: number): Promise<string> {
  return new Promise((resolve) => {
    const socket = connect({ host, port, timeout: 5000 });
    socket.once('connect', () => {
      socket.destroy();
      resolve('connected');
    });
    socket.once('timeout', () => {
      socket.destroy();
      resolve('timeout');
    });
    socket.once('error', (err: NodeJS.ErrnoException) => resolve(err.code ?? err.message));
  });
}

/** Local addresses of listening TCP sockets on `port`, from /proc/net/tcp and tcp6 (Linux). */
function listeningAddresses(port: number): string[] {
  const found: string[] = [];
  for (const file of ['/proc/net/tcp', '/proc/net/tcp6']) {
    let text = '';
    try {
      text = readFileSync(file, 'utf8');
    } catch {
      continue;
    }
    for (const line of text.trim().split('\n').slice(1)) {
      const [, local, , state] = line.trim().split(/\s+/);
      const [hex, portHex] = (local ?? '').split(':');
      // State 0A is LISTEN.
      if (state !== '0A' || Number.parseInt(portHex ?? '', 16) !== port || !hex) continue;
      if (hex.length === 8) found.push(hex.match(/../g)!.reverse().map((b) => Number.parseInt(b, 16)).join('.'));
      else found.push(`ipv6:${hex}`);
    }
  }
  return found;
}

describe('the address serve binds to, and its secret store', () => {
  let serve: CliRun;
  let base = '';
  let port = 0;
  let token = '';
  const userData = join(tmp.dir, 'user');

  before(async () => {
    serve = startCli(['serve', '--port', '0', '--user-data', userData]);
    const openUrl = await waitFor('the serve URL', () => /listening on (\S+)/.exec(serve.stdout())?.[1], 30_000);
    const u = new URL(openUrl);
    base = u.origin;
    port = Number(u.port);
    token = u.searchParams.get('token') ?? '';
  });
  after(async () => {
    serve.child.kill('SIGTERM');
    await serve.exit;
    tmp.cleanup();
  });

  test('serve listens on 127.0.0.1 only: not on other loopback or network addresses of this machine', { skip: process.platform !== 'linux' && 'reads /proc/net/tcp' }, async () => {
    assert.deepEqual(listeningAddresses(port), ['127.0.0.1']);
    assert.equal(await tryConnect('127.0.0.1', port), 'connected');
    // On Linux the whole 127/8 reaches this machine: a socket bound to any address would answer here.
    assert.equal(await tryConnect('127.0.0.2', port), 'ECONNREFUSED');
    const others = Object.values(networkInterfaces())
      .flat()
      .filter((a) => a !== undefined && !a.internal && a.family === 'IPv4')
      .map((a) => a!.address);
    for (const address of others) assert.equal(await tryConnect(address, port), 'ECONNREFUSED', address);
  });

  test('an app secret saved in Settings is kept in a 0600 file in the 0700 user-data folder', async () => {
    const ws = await new Promise<WebSocket>((resolve, reject) => {
      const socket = new WebSocket(`${base.replace('http', 'ws')}/bridge`, { headers: { Origin: base, Cookie: `tapedeck_session=${token}` }, ...wsLoopback });
      socket.once('open', () => resolve(socket));
      socket.once('error', reject);
    });
    try {
      const answer = await new Promise<Record<string, unknown>>((resolve) => {
        ws.on('message', (data: WebSocket.RawData) => {
          const m = JSON.parse(data.toString()) as Record<string, unknown>;
          if (m.t === 'result' && m.id === 1) resolve(m);
        });
        ws.send(JSON.stringify({ t: 'invoke', id: 1, name: 'settings:save', arg: { schwab: { appKey: 'bind-test-key', appSecret: 'bind-test-secret' } } }));
      });
      assert.equal(answer.ok, true, JSON.stringify(answer));
    } finally {
      ws.close();
    }
    const file = join(userData, 'secrets.json');
    await waitFor('the secrets file', () => {
      try {
        return readFileSync(file, 'utf8').includes('bind-test-secret');
      } catch {
        return false;
      }
    });
    assert.equal(statSync(file).mode & 0o777, 0o600);
    assert.equal(statSync(userData).mode & 0o777, 0o700);
  });
});
