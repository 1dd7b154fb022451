/** Outcomes where retrying cannot help: the session stops and says why instead of looping. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { query } from '../helpers/db.js';
import { startHarness } from '../helpers/engine-harness.js';
import { waitFor } from '../helpers/wait.js';

test('login denied stops after one token refresh, with the reason, and no retry loop', async () => {
  const h = await startHarness({
    dialect: 'schwab',
    sim: { faults: [{ name: 'deny-login' }] },
    subscriptions: [{ service: 'LEVELONE_EQUITIES', keys: ['AAPL'] }],
  });
  try {
    const fatal = await waitFor('a fatal event', () => h.events.find((e) => e.type === 'fatal'));
    assert.match(fatal.type === 'fatal' ? fatal.message : '', /login denied \(code 3/);
    assert.equal(h.engine.status().connection, 'failed');
    // One refresh between the two attempts, and exactly two LOGINs: no loop.
    assert.equal(h.sim.stats().refreshes, 1);
    assert.equal(h.sim.stats().logins, 0);
    const sessions = query<{ end_reason: string }>(h.dbPath, 'SELECT end_reason FROM sessions ORDER BY id');
    assert.equal(sessions.length, 2);
    for (const s of sessions) assert.match(s.end_reason, /login denied/);
  } finally {
    await h.close();
    h.cleanup();
  }
});

test('a second login elsewhere (code 12) is reported and not fought', async () => {
  const h = await startHarness({ dialect: 'schwab', subscriptions: [{ service: 'LEVELONE_EQUITIES', keys: ['AAPL'] }] });
  try {
    await waitFor('streaming', () => h.engine.status().connection === 'streaming');
    h.sim.trigger('second-login');
    const fatal = await waitFor('a fatal event', () => h.events.find((e) => e.type === 'fatal'));
    assert.match(fatal.type === 'fatal' ? fatal.message : '', /code 12/);
    assert.match(fatal.type === 'fatal' ? fatal.message : '', /another Tapedeck or client/);
    assert.equal(h.engine.status().connection, 'failed');
    assert.equal(h.engine.status().reconnects, 0);
  } finally {
    await h.close();
    h.cleanup();
  }
});

test('a rejected subscription is reported and the others carry on', async () => {
  const h = await startHarness({
    dialect: 'tdameritrade',
    qosLevel: 0,
    subscriptions: [
      { service: 'QUOTE', keys: ['AAPL'] },
      { service: 'FUTURES_BOOK', keys: ['/ES'] },
    ],
  });
  try {
    const err = await waitFor('a subscription error', () => h.events.find((e) => e.type === 'subscription-error'));
    assert.equal(err.type === 'subscription-error' && err.service, 'FUTURES_BOOK');
    assert.equal(err.type === 'subscription-error' && err.code, 11);
    await waitFor('QUOTE rows', () => h.engine.status().rows > 10);
    assert.deepEqual(h.engine.subscriptions().map((s) => s.service), ['QUOTE']);
  } finally {
    await h.close();
    h.cleanup();
  }
});
