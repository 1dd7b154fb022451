/**
 * The host's use of REST market data against the demo simulator over real sockets, with a real
 * recording file: a symbol added to a watchlist is filled from the quotes snapshot even when no
 * stream update ever comes, focusing a symbol answers its price history at the chosen interval and
 * records it in price_history (source 'rest'), and the status carries the market session.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import type { EventName, Events } from '../../../shared/api.js';
import { MARKET_SESSIONS } from '../../../shared/market-session.js';
import { startTestHost } from '../../helpers/host.js';
import { count, query } from '../../helpers/db.js';
import { tempDir } from '../../helpers/tmp.js';
import { waitFor } from '../../helpers/wait.js';

type Seen = { name: EventName; payload: unknown }[];

function listen(host: { on: (l: <K extends EventName>(name: K, payload: Events[K]) => void) => () => void }): Seen {
  const seen: Seen = [];
  host.on((name, payload) => seen.push({ name, payload }));
  return seen;
}

const quotesOf = (seen: Seen, key: string) =>
  seen.filter((e) => e.name === 'engine:quotes').flatMap((e) => (e.payload as Events['engine:quotes']).records.filter((r) => r.key === key));

test('an added symbol is filled from the REST quotes snapshot with no stream update at all', async (t) => {
  const { dir, cleanup } = tempDir('host-rest');
  // Every streamer LOGIN is refused: nothing can stream, so whatever fills the row came over REST.
  const host = await startTestHost(dir, { rate: 500, seed: 3, faults: [{ name: 'deny-login' }] });
  t.after(async () => {
    await host.close();
    cleanup();
  });
  const seen = listen(host);
  await waitFor('the refused login', () => seen.some((e) => e.name === 'engine:status' && (e.payload as Events['engine:status']).connection === 'failed'), 30_000);
  const [list] = (await host.invoke('app:snapshot', null)).watchlists;
  await host.invoke('watchlist:add-symbols', { id: list!.id, symbols: ['XOM'] });
  const record = await waitFor('XOM filled from the snapshot', () => quotesOf(seen, 'XOM').find((r) => typeof r.fields.last_price === 'number'), 30_000);
  assert.equal(record.service, 'LEVELONE_EQUITIES');
  for (const f of ['bid_price', 'ask_price', 'last_price', 'total_volume', 'close_price', 'trade_time_millis']) assert.equal(typeof record.fields[f], 'number', f);
  assert.ok(!seen.some((e) => e.name === 'engine:status' && (e.payload as Events['engine:status']).connection === 'streaming'), 'no stream ever ran');
  // A window opening now gets the filled row in its first paint.
  assert.ok((await host.invoke('app:snapshot', null)).quotes.some((r) => r.key === 'XOM' && typeof r.fields.bid_price === 'number'));
});

test('focus answers price history at the interval, records it as source rest; the status carries the session', async (t) => {
  const { dir, cleanup } = tempDir('host-rest');
  const host = await startTestHost(dir, { rate: 500, barMs: 500, seed: 3 });
  t.after(async () => {
    await host.close();
    cleanup();
  });
  const seen = listen(host);
  const detail = await host.invoke('market:focus', { symbol: 'AAPL', interval: '5m' });
  assert.ok(detail);
  assert.equal(detail.interval, '5m');
  assert.ok(detail.historyBars > 10, `${detail.historyBars} history bars`);
  const history = detail.bars.slice(0, detail.historyBars);
  assert.equal(Math.min(...history.slice(1).map((b, i) => b.time - history[i]!.time)), 5 * 60_000);

  const { dbPath } = await host.invoke('app:about', null);
  await waitFor('price_history rows', () => {
    try {
      return count(dbPath, "SELECT count(*) AS n FROM price_history WHERE symbol = 'AAPL' AND frequency = '5m'") >= detail.historyBars;
    } catch {
      return false;
    }
  }, 30_000);
  const sources = query<{ source: string }>(dbPath, 'SELECT DISTINCT source FROM price_history');
  assert.deepEqual(sources, [{ source: 'rest' }]);
  const first = query<{ datetime: number; open: number; fetched_at: number }>(dbPath, "SELECT datetime, open, fetched_at FROM price_history WHERE frequency = '5m' ORDER BY datetime LIMIT 1")[0]!;
  assert.equal(first.datetime, history[0]!.time);
  assert.equal(first.open, history[0]!.open);
  assert.ok(first.fetched_at > 0);

  // Live bars then arrive at the same interval, at or after the last history bar.
  const pushed = await waitFor('live bars at 5m', () => seen.find((e) => e.name === 'market:bars' && (e.payload as Events['market:bars']).interval === '5m'), 30_000);
  const bar = (pushed.payload as Events['market:bars']).bars[0]!;
  assert.equal(bar.time % (5 * 60_000), 0, 'a live bar is folded into its 5-minute bucket');

  const status = await waitFor('the market session in the status', () => {
    const s = seen.filter((e) => e.name === 'engine:status').map((e) => e.payload as Events['engine:status']).find((x) => x.marketSession !== undefined);
    return s;
  }, 30_000);
  assert.ok((MARKET_SESSIONS as readonly string[]).includes(status.marketSession!));
});
