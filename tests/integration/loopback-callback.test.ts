/**
 * The CLI's loopback callback listener (real sockets): a request naming another host, another
 * path, or a state this login did not issue is refused and the login keeps waiting; only the real
 * redirect ends it.
 */
import assert from 'node:assert/strict';
import { request } from 'node:http';
import { test } from 'node:test';
import { waitForLoopbackRedirect } from '../../electron/node/cli/loopback-callback.js';

function get(port: number, path: string, host: string): Promise<number> {
  return new Promise((resolve, reject) => {
    const req = request({ host: '127.0.0.1', port, path, headers: { host }, agent: false }, (res) => {
      res.resume();
      resolve(res.statusCode ?? 0);
    });
    req.on('error', reject);
    req.end();
  });
}

test('wrong Host, path or state are refused without ending the wait; the real redirect is returned', async () => {
  let onPort: (port: number) => void = () => undefined;
  const listening = new Promise<number>((resolve) => (onPort = resolve));
  const result = waitForLoopbackRedirect('http://127.0.0.1:0/cb', { state: 'the-state', timeoutMs: 60_000, onListening: (p) => onPort(p) });
  const port = await listening;
  const self = `127.0.0.1:${port}`;
  assert.equal(await get(port, '/cb?code=evil&state=the-state', `evil.example:${port}`), 421, 'a rebound host name');
  assert.equal(await get(port, '/cb?code=evil&state=the-state', 'localhost'), 421);
  assert.equal(await get(port, '/elsewhere?code=evil&state=the-state', self), 404);
  assert.equal(await get(port, '/cb?code=evil&state=forged', self), 400, 'a forged state');
  assert.equal(await get(port, '/cb?code=evil', self), 400, 'no state');
  assert.equal(await get(port, '/cb?code=good%2Fcode&state=the-state', self), 200);
  const redirected = new URL(await result);
  assert.equal(redirected.searchParams.get('code'), 'good/code', 'the wait ended on the real redirect, not on an earlier request');
});
