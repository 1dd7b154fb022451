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
    const loginAttempts = () => h.sim.stats().commands.filter((c) => c.service === 'ADMIN' && c.command === 'LOGIN').length;
    // One refresh between the two attempts, exactly two LOGINs, neither accepted.
    assert.equal(h.sim.stats().refreshes, 1);
    assert.equal(loginAttempts(), 2);
    assert.equal(h.sim.stats().logins, 0);
    // No retry is scheduled, and none comes: a loop would have tried again within the harness's
    // longest backoff (400 ms); absence can only be seen over a span, so wait out four of them.
    assert.equal(h.engine.status().retryAt, null);
    const fatalAt = Date.now();
    await waitFor('four longest backoffs to pass', () => Date.now() - fatalAt > 1_600);
    assert.equal(loginAttempts(), 2);
    assert.equal(h.sim.stats().refreshes, 1);
    assert.equal(h.engine.status().connection, 'failed');
    const sessions = query<{ end_reason: string }>(h.dbPath, 'SELECT end_reason FROM sessions ORDER BY id');
    assert.equal(sessions.length, 2);
    for (const s of sessions) assert.match(s.end_reason, /login denied/);
  } finally {
    await h.close();
    h.cleanup();
  }
});

test('a LOGIN denied once is retried after one token refresh, and the recovery is reported once', async (t) => {
  // Tokens that live 30 minutes: no scheduled refresh can happen first and skip the denied branch.
  const h = await startHarness({ dialect: 'schwab', subscriptions: [{ service: 'LEVELONE_EQUITIES', keys: ['AAPL'] }] });
  t.after(async () => {
    await h.close();
    h.cleanup();
  });
  await waitFor('streaming', () => h.engine.status().connection === 'streaming');
  const accessBefore = h.tokens.current().access_token;
  h.sim.denyNextLogins(1);
  h.sim.trigger('drop');
  await waitFor('streaming again', () => h.engine.status().reconnects >= 1 && h.engine.status().connection === 'streaming');
  const logins = h.sim.stats().commands.filter((c) => c.service === 'ADMIN' && c.command === 'LOGIN');
  assert.equal(logins.length, 3, 'the first LOGIN, the denied one, the one after the refresh');
  assert.equal(h.sim.stats().refreshes, 1);
  assert.notEqual(h.tokens.current().access_token, accessBefore);
  const recovered = h.events.filter((e) => e.type === 'notice' && /^login denied \(.*\), then accepted after refreshing the access token$/.test(e.message));
  assert.equal(recovered.length, 1, JSON.stringify(h.events));
  assert.equal(h.events.filter((e) => e.type === 'fatal').length, 0);
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
