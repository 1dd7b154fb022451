/**
 * The schwab dialect end to end against the simulator: login, subscribe, record, reconnect after a
 * dropped and after a silent socket (re-subscribed once per connection, no duplicate rows), token
 * refresh mid-stream, a malformed frame, subscription changes while connected. Frames of unknown
 * services: archive-undecodable.test.ts; re-subscribing after changes: session-resubscribe.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { describe, test, type TestContext } from 'node:test';
import { decodeFrame } from '../../electron/node/codec/decode-frame.js';
import { archivedFrames, count, query } from '../helpers/db.js';
import { startHarness, type Harness } from '../helpers/engine-harness.js';
import { waitFor } from '../helpers/wait.js';

function subsPerConnection(h: Harness, service: string): Map<number, number> {
  const perConn = new Map<number, number>();
  for (const c of h.sim.stats().commands) {
    if (c.service === service && c.command === 'SUBS') perConn.set(c.connectionId, (perConn.get(c.connectionId) ?? 0) + 1);
  }
  return perConn;
}

/**
 * Each test starts its own simulator, engine and database, so any one of them runs alone
 * (--test-name-pattern) and none relies on what an earlier one left behind.
 */
async function streamingHarness(t: TestContext): Promise<Harness> {
  const h = await startHarness({
    dialect: 'schwab',
    sim: { accessTokenTtlSec: 3 },
    subscriptions: [
      { service: 'LEVELONE_EQUITIES', keys: ['AAPL', 'MSFT'] },
      { service: 'LEVELONE_FUTURES', keys: ['/ES'] },
    ],
  });
  t.after(async () => {
    await h.close();
    h.cleanup();
  });
  await waitFor('streaming', () => h.engine.status().connection === 'streaming');
  await waitFor('rows recorded', () => h.engine.status().rows > 50);
  return h;
}

describe('schwab session against the simulator', () => {
  test('logs in, subscribes and records rows and merged state', async (t) => {
    const h = await streamingHarness(t);
    const aapl = await waitFor('merged AAPL quote', () => h.engine.quotes.get('LEVELONE_EQUITIES', 'AAPL'));
    assert.equal(typeof aapl.fields.bid_price, 'number');
    assert.equal(typeof aapl.fields.ask_price, 'number');
    assert.equal(typeof aapl.fields.description, 'string');
    await waitFor('rows visible to a reader', () => count(h.dbPath, 'SELECT count(*) AS n FROM levelone_equities') > 0);
    const keys = query<{ key: string }>(h.dbPath, 'SELECT DISTINCT key FROM levelone_equities ORDER BY key').map((r) => r.key);
    assert.deepEqual(keys, ['AAPL', 'MSFT']);
    assert.equal(count(h.dbPath, "SELECT count(*) AS n FROM sessions WHERE provider = 'schwab' AND ended_at IS NULL"), 1);
  });

  test('a dropped socket reconnects, re-subscribes once, and recording carries on', async (t) => {
    const h = await streamingHarness(t);
    const rowsBefore = h.engine.status().rows;
    h.sim.trigger('drop');
    await waitFor('a reconnect', () => h.engine.status().reconnects >= 1 && h.engine.status().connection === 'streaming');
    await waitFor('rows after the reconnect', () => h.engine.status().rows > rowsBefore + 50);
    const perConn = subsPerConnection(h, 'LEVELONE_EQUITIES');
    assert.ok(perConn.size >= 2, 'SUBS sent on both connections');
    for (const [conn, n] of perConn) assert.equal(n, 1, `connection ${conn} got exactly one SUBS`);
    const ended = query<{ end_reason: string }>(h.dbPath, 'SELECT end_reason FROM sessions WHERE ended_at IS NOT NULL');
    assert.match(ended[0]?.end_reason ?? '', /dropped/);
  });

  test('a silent socket is declared dead by the watchdog and replaced', async (t) => {
    const h = await streamingHarness(t);
    const reconnects = h.engine.status().reconnects;
    h.sim.trigger('silence');
    await waitFor('reconnect after silence', () => h.engine.status().reconnects > reconnects && h.engine.status().connection === 'streaming');
    const reasons = query<{ end_reason: string }>(h.dbPath, 'SELECT end_reason FROM sessions WHERE ended_at IS NOT NULL ORDER BY id');
    assert.ok(reasons.some((r) => /no data or heartbeat/.test(r.end_reason)), JSON.stringify(reasons));
  });

  test('the access token is refreshed mid-stream and the rotation is persisted', async (t) => {
    const h = await streamingHarness(t);
    const first = JSON.parse(readFileSync(h.tokenFile, 'utf8'));
    await waitFor('a refresh grant', () => h.sim.stats().refreshes >= 1);
    await waitFor('the token file rewritten', () => JSON.parse(readFileSync(h.tokenFile, 'utf8')).access_token !== first.access_token);
    const rows = h.engine.status().rows;
    await waitFor('recording continues after the refresh', () => h.engine.status().rows > rows + 20);
    // A LOGIN denied once and recovered by a refresh: session-failures.test.ts (tokens that cannot refresh first).
  });

  test('a malformed frame is archived, counted and reported, and the session continues', async (t) => {
    const h = await streamingHarness(t);
    const problems = h.engine.status().problems;
    const rows = h.engine.status().rows;
    h.sim.trigger('malformed');
    await waitFor('the problem counted', () => h.engine.status().problems > problems);
    assert.ok(h.events.some((e) => e.type === 'problem' && /json/.test(e.kind)));
    await waitFor('rows keep coming', () => h.engine.status().rows > rows + 20);
    await waitFor('the malformed frame archived', () =>
      archivedFrames(h.dbPath).some((f) => {
        try {
          JSON.parse(f.text ?? '');
          return false;
        } catch {
          return true;
        }
      }),
    );
  });

  test('subscriptions change while connected (ADD, UNSUBS); a service the dialect lacks is refused', async (t) => {
    const h = await streamingHarness(t);
    assert.throws(() => h.engine.subscribe('NO_SUCH_SERVICE', ['X']), /NO_SUCH_SERVICE is not a schwab streamer service/);
    h.engine.subscribe('LEVELONE_EQUITIES', ['GOOG']);
    h.engine.unsubscribe('LEVELONE_FUTURES', ['/ES']);
    await waitFor('GOOG rows', () => count(h.dbPath, "SELECT count(*) AS n FROM levelone_equities WHERE key = 'GOOG'") > 0);
    const cmds = h.sim.stats().commands.map((c) => `${c.service} ${c.command} ${c.keys.join(',')}`);
    assert.ok(cmds.includes('LEVELONE_EQUITIES ADD GOOG'), cmds.join('\n'));
    assert.ok(cmds.includes('LEVELONE_FUTURES UNSUBS /ES'), cmds.join('\n'));
    assert.deepEqual(h.engine.subscriptions().map((s) => s.service), ['LEVELONE_EQUITIES']);
  });

  test('every archived data item became exactly one row (no duplicates across reconnects)', async (t) => {
    const h = await streamingHarness(t);
    // Reconnects of both kinds, a drop and a silent socket, while recording.
    h.sim.trigger('drop');
    await waitFor('a reconnect after the drop', () => h.engine.status().reconnects >= 1 && h.engine.status().connection === 'streaming');
    h.sim.trigger('silence');
    await waitFor('a reconnect after the silence', () => h.engine.status().reconnects >= 2 && h.engine.status().connection === 'streaming');
    const rows = h.engine.status().rows;
    await waitFor('rows after the reconnects', () => h.engine.status().rows > rows + 200);
    await h.close();
    const frames = archivedFrames(h.dbPath);
    const expected = new Map<string, number>();
    for (const f of frames) {
      for (const u of decodeFrame(f.text ?? '', 'schwab').updates) expected.set(u.service, (expected.get(u.service) ?? 0) + 1);
    }
    for (const [service, n] of expected) {
      assert.equal(count(h.dbPath, `SELECT count(*) AS n FROM ${service.toLowerCase()}`), n, service);
    }
    assert.ok((expected.get('LEVELONE_EQUITIES') ?? 0) > 100);
    assert.equal(count(h.dbPath, 'SELECT count(*) AS n FROM sessions WHERE ended_at IS NULL'), 0);
    const last = query<{ end_reason: string }>(h.dbPath, 'SELECT end_reason FROM sessions ORDER BY id DESC LIMIT 1')[0];
    assert.equal(last?.end_reason, 'logged out');
  });
});
