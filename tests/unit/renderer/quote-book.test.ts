import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { QuoteRecord } from '../../../shared/engine-events.js';
import { routeId } from '../../../shared/routing.js';
import { QuoteBook } from '../../../renderer/src/store/quote-book.js';

const rec = (key: string, fields: QuoteRecord['fields'], partial = false, ts = 1): QuoteRecord => ({ service: 'LEVELONE_EQUITIES', key, ts, receivedAt: ts, fields, meta: {}, partial });

test('partial records merge into what is held; whole records replace it', () => {
  const book = new QuoteBook();
  book.apply([rec('AAPL', { bid_price: 1, ask_price: 2 })]);
  const before = book.get(routeId('LEVELONE_EQUITIES', 'AAPL'));
  const changed = book.apply([rec('AAPL', { bid_price: 1.5 }, true, 2), rec('MSFT', { last_price: 3 }, true)]);
  const after = book.get(routeId('LEVELONE_EQUITIES', 'AAPL'));
  assert.deepEqual(after?.fields, { bid_price: 1.5, ask_price: 2 });
  assert.equal(after?.ts, 2);
  assert.notEqual(after, before, 'a new object per change: rows compare by reference');
  assert.deepEqual([...changed].sort(), [routeId('LEVELONE_EQUITIES', 'AAPL'), routeId('LEVELONE_EQUITIES', 'MSFT')].sort());
  book.apply([rec('AAPL', { last_price: 9 })]);
  assert.deepEqual(book.get(routeId('LEVELONE_EQUITIES', 'AAPL'))?.fields, { last_price: 9 });
});

test('replaceAll forgets what the snapshot does not hold', () => {
  const book = new QuoteBook();
  book.apply([rec('AAPL', { bid_price: 1 }), rec('MSFT', { bid_price: 2 })]);
  book.replaceAll([rec('NVDA', { bid_price: 3 })]);
  assert.deepEqual([...book.values()].map((r) => r.key), ['NVDA']);
});
