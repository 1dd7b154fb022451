import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Candle } from '../../../shared/market.js';
import { fromSnapshot, hold, withBars, withTrades } from '../../../renderer/src/store/detail.js';

const bar = (minute: number, close: number): Candle => ({ time: minute * 60_000, open: 1, high: 2, low: 0, close, volume: 1 });

test('bars upsert by time: the same minute replaces, a later one appends, an older one is ignored', () => {
  let s = fromSnapshot({ symbol: 'AAPL', interval: '1m', historyBars: 0, bars: [bar(1, 10)], trades: [] }, null);
  assert.equal(s.version, 0);
  s = withBars(s, [bar(1, 11), bar(2, 12), bar(0, 99)]);
  assert.deepEqual(s.bars.map((b) => b.close), [11, 12]);
  assert.deepEqual(s.lastBars.map((b) => b.close), [11, 12], 'the chart is given only what changed');
  assert.equal(s.version, 1);
});

test('appends that arrive before the snapshot are applied after it', () => {
  let held = hold(null, { symbol: 'AAPL', interval: '1m', bars: [bar(5, 50)] });
  held = hold(held, { symbol: 'AAPL', trades: [{ time: 1, price: 50, size: 1, side: null }] });
  const s = fromSnapshot({ symbol: 'AAPL', interval: '1m', historyBars: 0, bars: [bar(4, 40)], trades: [] }, held);
  assert.deepEqual(s.bars.map((b) => b.close), [40, 50]);
  assert.equal(s.trades.length, 1);
  assert.equal(s.version > 0, true);
});

test('the tape keeps the newest 500 trades', () => {
  let s = fromSnapshot({ symbol: 'AAPL', interval: '1m', historyBars: 0, bars: [], trades: [] }, null);
  s = withTrades(s, Array.from({ length: 600 }, (_, i) => ({ time: i, price: 1, size: 1, side: null })));
  assert.equal(s.trades.length, 500);
  assert.equal(s.trades[0]!.time, 100);
});

test('trades pushed while the snapshot was being made are not applied twice, so the tape stays newest first', () => {
  const t = (time: number, price: number) => ({ time, price, size: 1, side: null });
  // Pushed during the history fetch, then included in the snapshot built after it; one came after.
  let held = hold(null, { symbol: 'AAPL', trades: [t(58, 10), t(59, 11)] });
  held = hold(held, { symbol: 'AAPL', trades: [t(60, 12)] });
  const s = fromSnapshot({ symbol: 'AAPL', interval: '1m', historyBars: 0, bars: [], trades: [t(57, 9), t(58, 10), t(59, 11)] }, held);
  assert.deepEqual(s.trades.map((x) => x.time), [57, 58, 59, 60]);
});
