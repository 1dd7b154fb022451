/** A token endpoint's error text reaches a terminal (login, record) or the window: it arrives escaped and cut. */
import assert from 'node:assert/strict';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { test } from 'node:test';
import { refreshTokens } from '../../../electron/node/auth/token-endpoint.js';

test('an error_description full of escape sequences and 200,000 characters long becomes one safe line', async () => {
  const server = createServer((_req, res) => {
    res.statusCode = 400;
    res.setHeader('Content-Type', 'application/json');
    res.end(JSON.stringify({ error: 'invalid_grant\x1b[2J', error_description: `\x1b]0;owned\x07\r\nforged ${'d'.repeat(200_000)}` }));
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const apiBase = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    const current = { provider: 'schwab' as const, access_token: 'a', refresh_token: 'r', expires_at: 0, refresh_expires_at: 0 };
    await assert.rejects(refreshTokens({ dialect: 'schwab', apiBase, app: { appKey: 'k', appSecret: 's' } }, current), (err: Error) => {
      assert.doesNotMatch(err.message, /[\x00-\x1f]/);
      // A 400 to a refresh means the login must be made again; the broker's text stays escaped and cut.
      assert.match(err.message, /^log in again \(tapedeck login, or Log in in the app\): the broker refused the saved login \(400 invalid_grant\\x1b\[2J: \\x1b\]0;owned\\x07\\r\\nforged d+… \(200,\d{3} characters\)\)$/);
      assert.ok(err.message.length < 500);
      return true;
    });
  } finally {
    await new Promise<void>((r) => server.close(() => r()));
  }
});
