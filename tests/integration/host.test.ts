/**
 * The host as a window sees it, against the demo simulator over real sockets with a real recording
 * file: every event it pushes matches its schema in shared/api.ts, what it says while starting
 * reaches the first listener, and intents change subscriptions and announce themselves.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { checkEvent, type EventName, type Events } from '../../shared/api.js';
import type { Host } from '../../electron/node/host/host.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';
import { startTestHost } from '../helpers/host.js';

type Seen = { name: EventName; payload: unknown }[];

async function startHost(dir: string): Promise<{ host: Host; seen: Seen; problems: string[] }> {
  const host = await startTestHost(dir, { rate: 2000, barMs: 200, seed: 7 });
  const seen: Seen = [];
  const problems: string[] = [];
  host.on(<K extends EventName>(name: K, payload: Events[K]) => {
    seen.push({ name, payload });
    const problem = checkEvent(name, payload);
    if (problem) problems.push(problem);
  });
  return { host, seen, problems };
}

test('start-up warnings reach the first listener; every pushed event matches its schema', async (t) => {
  const { dir, cleanup } = tempDir('host');
  writeFileSync(join(dir, 'settings.json'), '{ not json');
  const { host, seen, problems } = await startHost(dir);
  // The host first, then its folder: a database deleted under a running recorder stops it with an error.
  t.after(async () => {
    await host.close();
    cleanup();
  });
  const texts = () => seen.filter((e) => e.name === 'engine:message').map((e) => (e.payload as Events['engine:message']).text);
  assert.ok(texts().some((t) => /settings\.json could not be read/.test(t)), 'the corrupt settings file is reported to the window');
  assert.ok(texts().some((t) => /cannot encrypt saved credentials/.test(t)));

  await waitFor('quotes', () => seen.some((e) => e.name === 'engine:quotes'), 30_000);
  const detail = await host.invoke('market:focus', { symbol: 'AAPL' });
  assert.equal(detail?.symbol, 'AAPL');
  await waitFor('appended bars of the focused symbol', () => seen.some((e) => e.name === 'market:bars' && (e.payload as Events['market:bars']).symbol === 'AAPL'), 30_000);
  await waitFor('the status ticker', () => seen.filter((e) => e.name === 'engine:status').length >= 2, 30_000);
  assert.deepEqual(problems, []);
});

test('intents: a created list and added symbols are announced, persisted and subscribed', async (t) => {
  const { dir, cleanup } = tempDir('host');
  const { host, seen, problems } = await startHost(dir);
  let hostNow = host;
  // The host first, then its folder: a database deleted under a running recorder stops it with an error.
  t.after(async () => {
    await hostNow.close();
    cleanup();
  });
  const list = await host.invoke('watchlist:create', { name: 'Energy' });
  await host.invoke('watchlist:add-symbols', { id: list.id, symbols: ['XOM', 'CVX'] });
  const announced = seen.filter((e) => e.name === 'watchlists:changed').map((e) => e.payload as Events['watchlists:changed']);
  assert.deepEqual(announced.at(-1)?.find((l) => l.id === list.id)?.symbols, ['XOM', 'CVX']);
  // The new symbols stream: their records arrive in quote batches.
  await waitFor('XOM quotes', () => seen.some((e) => e.name === 'engine:quotes' && (e.payload as Events['engine:quotes']).records.some((r) => r.key === 'XOM')), 30_000);
  await host.close();
  const again = await startHost(dir);
  hostNow = again.host;
  const snap = await again.host.invoke('app:snapshot', null);
  assert.deepEqual(snap.watchlists.find((l) => l.id === list.id)?.symbols, ['XOM', 'CVX'], 'persisted across restarts');
  assert.deepEqual(problems, []);
});
