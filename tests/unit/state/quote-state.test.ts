import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuoteState } from '../../../electron/node/state/quote-state.js';
import type { MarketUpdate } from '../../../shared/market.js';

const u = (service: string, key: string, ts: number, fields: MarketUpdate['fields'], meta: MarketUpdate['meta'] = {}): MarketUpdate => ({ service, key, ts, fields, meta });

test('level-one deltas merge into the full first update; metadata from the first item is kept', () => {
  const s = new QuoteState('schwab');
  s.apply(u('LEVELONE_EQUITIES', 'AAPL', 1, { bid_price: 1, ask_price: 2, last_price: 1.5 }, { delayed: false, assetMainType: 'EQUITY' }), 100);
  s.apply(u('LEVELONE_EQUITIES', 'AAPL', 2, { last_price: 1.6 }), 200);
  const r = s.apply(u('LEVELONE_EQUITIES', 'AAPL', 3, { total_volume: 10 }), 300);
  assert.deepEqual(r.fields, { bid_price: 1, ask_price: 2, last_price: 1.6, total_volume: 10 });
  assert.deepEqual(r.meta, { delayed: false, assetMainType: 'EQUITY' });
  assert.equal(r.receivedAt, 300, 'when the last update arrived here');
  assert.equal(r.ts, 3, 'the server time of the last update');
  assert.equal(s.size, 1);
});

test('whole and sequence deliveries replace the record', () => {
  const s = new QuoteState('schwab');
  s.apply(u('NASDAQ_BOOK', 'MSFT', 1, { book_time: 1 }), 100);
  assert.deepEqual(s.apply(u('NASDAQ_BOOK', 'MSFT', 2, {}), 200).fields, {});
  s.apply(u('CHART_EQUITY', 'MSFT', 1, { open_price: 1, volume: 5 }), 100);
  assert.deepEqual(s.apply(u('CHART_EQUITY', 'MSFT', 2, { open_price: 2 }), 200).fields, { open_price: 2 });
});

test('keys and services are listed; unrelated keys do not mix', () => {
  const s = new QuoteState('tdameritrade');
  s.apply(u('QUOTE', 'A', 1, { bid_price: 1 }), 100);
  s.apply(u('QUOTE', 'B', 1, { bid_price: 2 }), 100);
  s.apply(u('LEVELONE_FUTURES', '/ES', 1, { bid_price: 3 }), 100);
  assert.deepEqual(s.services().sort(), ['LEVELONE_FUTURES', 'QUOTE']);
  assert.deepEqual(s.keys('QUOTE').sort(), ['A', 'B']);
  assert.equal(s.get('QUOTE', 'B')?.fields.bid_price, 2);
  s.clear();
  assert.equal(s.size, 0);
});
