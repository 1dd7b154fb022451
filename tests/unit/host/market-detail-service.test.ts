import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Events } from '../../../shared/api.js';
import type { QuoteRecord } from '../../../shared/engine-events.js';
import type { FieldValue, MarketUpdate } from '../../../shared/market.js';
import { EventBus } from '../../../electron/node/host/event-bus.js';
import { MarketDetailService } from '../../../electron/node/host/market-detail-service.js';
import { waitFor } from '../../helpers/wait.js';

const update = (service: string, key: string, fields: Record<string, FieldValue>): [MarketUpdate, QuoteRecord] => {
  const u: MarketUpdate = { service, key, ts: 1, fields, meta: {} };
  return [u, { ...u, receivedAt: 1 }];
};
const bar = (key: string, minute: number, close: number) =>
  update('CHART_EQUITY', key, { chart_time_millis: minute * 60_000, open_price: 1, high_price: close + 1, low_price: 0.5, close_price: close, volume: 10 });
const trade = (key: string, price: number) =>
  update('LEVELONE_EQUITIES', key, { last_price: price, last_size: 100, bid_price: price - 0.01, ask_price: price + 0.01, trade_time_millis: price });

function setup() {
  const bus = new EventBus();
  const pushed: { name: string; payload: Events['market:bars'] | Events['market:trades'] }[] = [];
  bus.on((name, payload) => (name === 'market:bars' || name === 'market:trades') && pushed.push({ name, payload: payload as Events['market:bars'] }));
  const service = new MarketDetailService(bus);
  let focusChanges = 0;
  service.onFocusChange(() => focusChanges++);
  return { service, pushed, focusChanges: () => focusChanges };
}

test('focus answers the snapshot so far; afterwards only new bars and trades travel, coalesced', async () => {
  const { service, pushed, focusChanges } = setup();
  service.observe(...bar('AAPL', 1, 10));
  service.observe(...trade('AAPL', 10));
  const snap = await service.handlers['market:focus']({ symbol: 'AAPL' });
  assert.equal(snap?.bars.length, 1);
  assert.equal(snap?.trades.length, 1);
  assert.equal(focusChanges(), 1);
  service.observe(...bar('AAPL', 1, 11)); // the same minute, updated
  service.observe(...bar('AAPL', 2, 12)); // a new minute
  service.observe(...trade('AAPL', 12));
  service.observe(...trade('MSFT', 99)); // not focused: kept, not pushed
  await waitFor('the coalesced push', () => pushed.length >= 2);
  const bars = pushed.find((p) => p.name === 'market:bars')!.payload as Events['market:bars'];
  assert.deepEqual(bars.bars.map((b) => [b.time, b.close]), [[60_000, 11], [120_000, 12]]);
  const trades = pushed.find((p) => p.name === 'market:trades')!.payload as Events['market:trades'];
  assert.deepEqual(trades, { symbol: 'AAPL', trades: [{ time: 12, price: 12, size: 100, side: 'mid' }] });
  const msft = await service.handlers['market:focus']({ symbol: 'MSFT' });
  assert.equal(msft?.trades.length, 1, 'series are kept for every symbol, not only the focused one');
  service.close();
});

test('re-focusing the same symbol is not a change; unfocusing stops pushes', async () => {
  const { service, pushed, focusChanges } = setup();
  await service.handlers['market:focus']({ symbol: 'AAPL' });
  await service.handlers['market:focus']({ symbol: 'AAPL' });
  assert.equal(focusChanges(), 1);
  assert.equal(await service.handlers['market:focus']({ symbol: null }), null);
  service.observe(...bar('AAPL', 1, 10)); // while nothing is focused: kept, never pushed
  const snap = await service.handlers['market:focus']({ symbol: 'AAPL' });
  assert.deepEqual(snap?.bars.map((b) => b.close), [10]);
  service.observe(...bar('AAPL', 2, 20));
  await waitFor('the push after re-focusing', () => pushed.length > 0);
  assert.deepEqual(pushed.map((p) => (p.payload as Events['market:bars']).bars.map((b) => b.close)), [[20]], 'only what came after the snapshot');
  service.close();
});
