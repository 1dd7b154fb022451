import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuoteState } from '../../../electron/node/state/quote-state.js';
import { mergeBars } from '../../../electron/node/host/bar-buckets.js';

test('a REST snapshot fills only what the stream has not set: streamed values win whichever came first', () => {
  const state = new QuoteState('schwab');
  // Snapshot first: it makes the row.
  const made = state.fillMissing('LEVELONE_EQUITIES', 'AAPL', { last_price: 100, bid_price: 99.9 }, 1, 10);
  assert.equal(made?.filled, null, 'a new record goes whole');
  // The stream then overwrites what it sends.
  state.apply({ service: 'LEVELONE_EQUITIES', key: 'AAPL', ts: 2, fields: { last_price: 101 }, meta: {} }, 20);
  assert.deepEqual(state.get('LEVELONE_EQUITIES', 'AAPL')!.fields, { last_price: 101, bid_price: 99.9 });
  // A late snapshot does not take a streamed value back, and fills only the gap.
  const late = state.fillMissing('LEVELONE_EQUITIES', 'AAPL', { last_price: 100, ask_price: 100.1 }, 1, 30);
  assert.deepEqual(late?.filled, { ask_price: 100.1 });
  assert.deepEqual(state.get('LEVELONE_EQUITIES', 'AAPL')!.fields, { last_price: 101, bid_price: 99.9, ask_price: 100.1 });
  assert.equal(state.get('LEVELONE_EQUITIES', 'AAPL')!.receivedAt, 20, 'staleness is measured by the stream');
  assert.equal(state.fillMissing('LEVELONE_EQUITIES', 'AAPL', { last_price: 1 }, 1, 40), null, 'nothing to fill: nothing to publish');
});

test('live bars fold into the history at the interval: history open kept, extremes of both, newest close', () => {
  const M = 60_000;
  const history = [
    { time: 0, open: 10, high: 11, low: 9, close: 10.5, volume: 100 },
    { time: 5 * M, open: 10.5, high: 10.8, low: 10.2, close: 10.6, volume: 50 },
  ];
  const live = [
    { time: 6 * M, open: 10.6, high: 11.2, low: 10.4, close: 11, volume: 30 },
    { time: 7 * M, open: 11, high: 11.1, low: 10.9, close: 10.95, volume: 40 },
    { time: 10 * M, open: 10.95, high: 11, low: 10.9, close: 10.97, volume: 5 },
  ];
  assert.deepEqual(mergeBars(history, live, '5m', 100), [
    history[0],
    { time: 5 * M, open: 10.5, high: 11.2, low: 10.2, close: 10.95, volume: 70 },
    { time: 10 * M, open: 10.95, high: 11, low: 10.9, close: 10.97, volume: 5 },
  ]);
  assert.equal(mergeBars(history, live, '5m', 2).length, 2, 'at most the newest max bars');
});
