/**
 * The reconnect policy (electron/node/streamer/reconnect-policy.ts) against the simulator, with the
 * product's own numbers: a flapping link, a broker that goes away, and a LOGIN denied once.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { ConnectionState } from '../../shared/engine-events.js';
import { RECONNECT_POLICY } from '../../electron/node/streamer/reconnect-policy.js';
import { query } from '../helpers/db.js';
import { startHarness, type Harness } from '../helpers/engine-harness.js';
import { waitFor } from '../helpers/wait.js';

const SUBSCRIPTIONS = [{ service: 'LEVELONE_EQUITIES', keys: ['AAPL', 'MSFT'] }];

interface Change {
  at: number;
  state: ConnectionState;
  /** While waiting: how long until the next attempt. */
  waitMs: number | null;
}

/** Every connection state the engine reports, with when it was reported. */
function watchStates(h: Harness): Change[] {
  const changes: Change[] = [];
  h.engine.on((e) => {
    if (e.type !== 'status') return;
    const at = Date.now();
    const s = e.status;
    const last = changes.at(-1);
    if (last?.state === s.connection && last.waitMs === (s.retryAt === null ? null : s.retryAt - at)) return;
    changes.push({ at, state: s.connection, waitMs: s.connection === 'waiting' && s.retryAt !== null ? s.retryAt - at : null });
  });
  return changes;
}

/** Time spent streaming between `from` and `to`, given the state at `from` and the changes after it. */
function streamingMs(changes: Change[], from: number, to: number, stateAtFrom: ConnectionState): number {
  let state = stateAtFrom;
  let since = from;
  let total = 0;
  for (const c of changes) {
    if (c.at <= from) continue;
    if (c.at >= to) break;
    if (state === 'streaming') total += c.at - since;
    state = c.state;
    since = c.at;
  }
  if (state === 'streaming') total += to - since;
  return total;
}

test('a link that drops every 2 s keeps the recorder connected at least 70 % of the time', { timeout: 60_000 }, async (t) => {
  const WINDOW_MS = 24_000;
  const h = await startHarness({
    dialect: 'schwab',
    realReconnectPolicy: true,
    sim: { faults: [{ name: 'drop', everyMs: 2000 }] },
    subscriptions: SUBSCRIPTIONS,
  });
  try {
    const changes = watchStates(h);
    await waitFor('streaming', () => h.engine.status().connection === 'streaming');
    const from = Date.now();
    const to = from + WINDOW_MS;
    // The measurement itself: how the connection fares over a fixed stretch of a flapping link.
    await waitFor('the end of the measuring window', () => Date.now() >= to, WINDOW_MS + 5_000);
    const share = streamingMs(changes, from, to, 'streaming') / WINDOW_MS;
    const inWindow = changes.filter((c) => c.at > from && c.at < to);
    const waits = inWindow.filter((c) => c.waitMs !== null).map((c) => c.waitMs!);
    // The link did flap: a drop every 2 s of each connection.
    t.diagnostic(`streaming ${(share * 100).toFixed(1)} % of ${WINDOW_MS} ms, ${waits.length} reconnects`);
    assert.ok(waits.length >= 7, `only ${waits.length} reconnects in ${WINDOW_MS} ms`);
    assert.ok(share >= 0.7, `streaming ${(share * 100).toFixed(1)} % of ${WINDOW_MS} ms; waits ${waits.join(', ')} ms`);
    // Each connection logged in and received data, so no wait grew past the first one.
    for (const w of waits) assert.ok(w <= RECONNECT_POLICY.firstWaitMs + 5, `a wait of ${w} ms after a healthy connection`);
    // Every connection left its sessions row, ended with the drop.
    const reasons = query<{ end_reason: string | null }>(h.dbPath, 'SELECT end_reason FROM sessions WHERE ended_at IS NOT NULL');
    assert.ok(reasons.length >= waits.length - 1);
    for (const r of reasons) assert.match(r.end_reason ?? '', /dropped/);
  } finally {
    await h.close();
    h.cleanup();
  }
});

test('attempts that fail in a row back off from the first wait, doubling, with jitter', { timeout: 30_000 }, async () => {
  const h = await startHarness({ dialect: 'schwab', realReconnectPolicy: true, subscriptions: SUBSCRIPTIONS });
  try {
    const changes = watchStates(h);
    await waitFor('rows recorded', () => h.engine.status().rows > 0);
    // The broker goes away: the healthy connection ends, then every attempt fails.
    await h.sim.close();
    const waits = await waitFor(
      'three waits',
      () => {
        const w = changes.filter((c) => c.waitMs !== null).map((c) => c.waitMs!);
        return w.length >= 3 ? w.slice(0, 3) : null;
      },
      10_000,
    );
    const first = RECONNECT_POLICY.firstWaitMs;
    const floor = RECONNECT_POLICY.jitterFloor;
    waits.forEach((w, i) => {
      const ceiling = first * RECONNECT_POLICY.factor ** i;
      assert.ok(w >= ceiling * floor - 5 && w <= ceiling + 5, `wait ${i + 1} is ${w} ms, outside [${ceiling * floor}, ${ceiling}] (${waits.join(', ')})`);
    });
  } finally {
    await h.close();
    h.cleanup();
  }
});

test('a LOGIN denied once and fixed by a token refresh is reported once', async () => {
  const h = await startHarness({ dialect: 'schwab', subscriptions: SUBSCRIPTIONS });
  try {
    await waitFor('streaming', () => h.engine.status().connection === 'streaming');
    const refreshes = h.sim.stats().refreshes;
    h.sim.denyNextLogins(1);
    h.sim.trigger('drop');
    await waitFor('reconnected', () => h.engine.status().reconnects === 1 && h.engine.status().connection === 'streaming');
    // Another drop without a denial says nothing more about logins.
    h.sim.trigger('drop');
    await waitFor('reconnected again', () => h.engine.status().reconnects === 2 && h.engine.status().connection === 'streaming');
    const notices = h.events.filter((e) => e.type === 'notice');
    assert.equal(notices.length, 1, JSON.stringify(notices));
    const n = notices[0]!;
    assert.ok(n.type === 'notice');
    assert.equal(n.code, 3);
    assert.match(n.message, /^login denied \(.+\), then accepted after refreshing the access token$/);
    assert.ok(!h.events.some((e) => e.type === 'fatal'));
    assert.equal(h.sim.stats().refreshes, refreshes + 1);
    const denied = query<{ end_reason: string }>(h.dbPath, "SELECT end_reason FROM sessions WHERE end_reason LIKE 'login denied%'");
    assert.equal(denied.length, 1);
  } finally {
    await h.close();
    h.cleanup();
  }
});
