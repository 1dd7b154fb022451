/** The display publisher: the first change after a quiet interval goes out at once, later ones coalesce. */
import assert from 'node:assert/strict';
import { setImmediate as nextTurn } from 'node:timers/promises';
import { test } from 'node:test';
import { QuotePublisher, type QuoteBatch } from '../../../electron/node/engine/publisher.js';
import type { QuoteRecord } from '../../../shared/engine-events.js';

const rec = (key: string, fields: QuoteRecord['fields']): QuoteRecord => ({ service: 'LEVELONE_EQUITIES', key, ts: 1, receivedAt: 1, fields, meta: {} });

test('a burst after a quiet interval is sent once its frame is processed; the next waits for the interval', async () => {
  const batches: QuoteBatch[] = [];
  // An interval no test run reaches: anything sent before flush() was sent on the leading edge.
  const p = new QuotePublisher(60_000, (b) => batches.push(b));
  p.offer(rec('AAPL', { bid_price: 1, ask_price: 2 }), { bid_price: 1, ask_price: 2 }, 100);
  p.offer(rec('MSFT', { bid_price: 3 }), { bid_price: 3 }, 101);
  await nextTurn();
  assert.equal(batches.length, 1);
  assert.deepEqual(batches[0]!.records.map((r) => r.key), ['AAPL', 'MSFT']);
  assert.equal(batches[0]!.oldestReceivedAt, 100);

  p.offer(rec('AAPL', { bid_price: 1.5, ask_price: 2 }), { bid_price: 1.5 }, 200);
  await nextTurn();
  assert.equal(batches.length, 1, 'within the interval, changes wait');
  p.offer(rec('AAPL', { bid_price: 1.5, ask_price: 2.5 }), { ask_price: 2.5 }, 201);
  p.flush();
  assert.equal(batches.length, 2);
  // One record per key, carrying only the fields changed since the display got it in full.
  assert.deepEqual(batches[1]!.records, [{ service: 'LEVELONE_EQUITIES', key: 'AAPL', ts: 1, receivedAt: 1, meta: {}, fields: { bid_price: 1.5, ask_price: 2.5 }, partial: true }]);
  assert.equal(batches[1]!.oldestReceivedAt, 200);
  p.stop();
});

test('frames back to back with no turn of the event loop still get a batch once an interval has passed', () => {
  const batches: QuoteBatch[] = [];
  const p = new QuotePublisher(50, (b) => batches.push(b));
  const start = Date.now();
  p.offer(rec('MSFT', { bid_price: 2 }), { bid_price: 2 }, start);
  p.flush(); // a batch now
  p.offer(rec('AAPL', { bid_price: 1 }), { bid_price: 1 }, start);
  // The next frame arrives within the interval: it waits (for the timer or a later frame).
  p.flushIfDue(start + 10);
  assert.equal(batches.length, 1);
  // A frame an interval later: what waits goes out before it is processed, timers or not.
  p.flushIfDue(Date.now() + 60);
  assert.equal(batches.length, 2);
  assert.deepEqual(batches[1]!.records.map((r) => r.key), ['AAPL']);
  // Nothing waiting: nothing sent.
  p.flushIfDue(Date.now() + 200);
  assert.equal(batches.length, 2);
  p.stop();
});
