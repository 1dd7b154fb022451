import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { EngineStatus } from '../../../shared/engine-events.js';
import { connectionBanner } from '../../../renderer/src/chrome/connection-banner.js';

const status = (over: Partial<EngineStatus>): EngineStatus => ({
  provider: 'schwab', dialect: 'schwab', simulated: false, connection: 'streaming', detail: null, retryAt: null,
  updates: 0, updatesPerSec: 0, frames: 10, problems: 0, reconnects: 0, recording: true, rows: 0, dbBytes: 0, lastFrameAt: null, loginRequired: false, ...over,
});

test('one banner follows the connection: nothing while streaming, a countdown while waiting, the reason when stopped', () => {
  assert.equal(connectionBanner(status({}), true, 0), null);
  assert.deepEqual(connectionBanner(status({ connection: 'waiting', detail: 'socket closed', retryAt: 4_500 }), true, 1_000), {
    level: 'warning',
    text: 'Disconnected: socket closed. Retrying in 4 s.',
  });
  assert.deepEqual(connectionBanner(status({ connection: 'connecting', reconnects: 1 }), true, 0), { level: 'info', text: 'Reconnecting (connecting)…' });
  assert.equal(connectionBanner(status({ connection: 'connecting', frames: 0 }), true, 0), null, 'the first connection of a launch needs no banner');
  assert.deepEqual(connectionBanner(status({ connection: 'failed', detail: 'login denied (code 3)' }), true, 0), { level: 'error', text: 'Streaming stopped: login denied (code 3)' });
  assert.equal(connectionBanner(status({ connection: 'idle', detail: 'Log in to Schwab to start streaming.' }), true, 0), null);
  assert.deepEqual(connectionBanner(status({ connection: 'failed', detail: 'log in again: the broker refused the saved login (400 invalid_client)', loginRequired: true }), true, 0), {
    level: 'error',
    text: 'Streaming stopped: the broker no longer accepts the saved login (the broker refused the saved login (400 invalid_client)). Log in again to go on.',
    action: 'login',
  });
});

test('losing the app server (browser mode) is said above everything else', () => {
  assert.equal(connectionBanner(status({}), false, 0)?.level, 'warning');
  assert.equal(connectionBanner(null, false, 0), null, 'nothing before the first status');
});
