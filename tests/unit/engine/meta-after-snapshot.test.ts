/**
 * Item metadata reaches the display when it changes after the record was sent whole: a REST
 * snapshot makes a row (no meta), then the stream's first item says the quote is delayed. Merged
 * state, the publisher and the renderer's quote book together, as the app chains them.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { QuotePublisher, type QuoteBatch } from '../../../electron/node/engine/publisher.js';
import { QuoteState } from '../../../electron/node/state/quote-state.js';
import { QuoteBook } from '../../../renderer/src/store/quote-book.js';
import { routeId } from '../../../shared/routing.js';

const SERVICE = 'LEVELONE_EQUITIES';

test('a delayed flag streamed after a REST snapshot made the row reaches the display; unchanged meta is not re-sent', () => {
  const state = new QuoteState('schwab');
  const batches: QuoteBatch[] = [];
  const publisher = new QuotePublisher(60_000, (b) => batches.push(b));
  const book = new QuoteBook();
  const publish = () => {
    publisher.flush();
    for (const b of batches.splice(0)) book.apply(b.records);
  };

  const made = state.fillMissing(SERVICE, 'MSFT', { last_price: 400 }, 1, 10)!;
  publisher.offer(made.record, made.filled, 10);
  publish();
  assert.equal(book.get(routeId(SERVICE, 'MSFT'))?.meta.delayed, undefined);

  const first = { service: SERVICE, key: 'MSFT', ts: 2, fields: { last_price: 401 }, meta: { delayed: true, assetMainType: 'EQUITY' } };
  publisher.offer(state.apply(first, 20), first.fields, 20);
  publisher.flush();
  const sent = batches[0]!.records[0]!;
  assert.equal(sent.partial, true, 'the row is already shown: only what changed goes');
  assert.deepEqual(sent.meta, { delayed: true, assetMainType: 'EQUITY' });
  for (const b of batches.splice(0)) book.apply(b.records);
  const shown = [...book.values()][0]!;
  assert.equal(shown.meta.delayed, true);
  assert.equal(shown.fields.last_price, 401);

  // TD repeats the same meta on every item: nothing new, so none is sent again, and the book keeps it.
  const again = { service: SERVICE, key: 'MSFT', ts: 3, fields: { last_price: 402 }, meta: { delayed: true } };
  publisher.offer(state.apply(again, 30), again.fields, 30);
  publisher.flush();
  assert.deepEqual(batches[0]!.records[0]!.meta, {});
  publish();
  assert.equal([...book.values()][0]!.meta.delayed, true);
  publisher.stop();
});
