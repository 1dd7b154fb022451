import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { Events, Watchlist } from '../../../shared/api.js';
import { memoryDocuments } from '../../../electron/node/host/document-store.js';
import { EventBus } from '../../../electron/node/host/event-bus.js';
import { WatchlistService } from '../../../electron/node/host/watchlist-service.js';

function setup(stored?: Watchlist[]) {
  const docs = memoryDocuments(stored ? { watchlists: { watchlists: stored } } : {});
  const bus = new EventBus();
  const changed: Events['watchlists:changed'][] = [];
  bus.on((name, payload) => name === 'watchlists:changed' && changed.push(payload as Events['watchlists:changed']));
  const service = new WatchlistService(docs, bus, () => 'schwab');
  let replans = 0;
  service.onChange(() => replans++);
  return { docs, service, changed, h: service.handlers, replans: () => replans };
}

test('a new user starts with the default list; adding symbols persists, announces and replans', async () => {
  const { docs, h, changed, replans } = setup();
  const list = await h['watchlist:add-symbols']({ id: 'default', symbols: ['IBM', ' /CL ', 'AAPL'] });
  assert.deepEqual(list.symbols.slice(-1), ['IBM'], 'AAPL was already there; /CL too; IBM is new');
  assert.equal(changed.length, 1);
  assert.deepEqual((docs.docs.get('watchlists') as { watchlists: Watchlist[] }).watchlists, changed[0]);
  assert.equal(replans(), 1);
});

test('one bad symbol adds nothing and names what is wrong', async () => {
  const { h, changed } = setup([{ id: 'a', name: 'A', symbols: ['AAPL'] }]);
  await assert.rejects(h['watchlist:add-symbols']({ id: 'a', symbols: ['MSFT', 'aapl', 'NOT A SYMBOL'] }), /upper case.*; 'NOT A SYMBOL' is not a valid symbol/);
  assert.equal(changed.length, 0);
});

test('create, rename, reorder and delete change only what they name', async () => {
  const { h, service } = setup([{ id: 'a', name: 'A', symbols: ['AAPL'] }]);
  const futures = await h['watchlist:create']({ name: 'Futures' });
  assert.deepEqual(futures, { id: 'futures', name: 'Futures', symbols: [] });
  const again = await h['watchlist:create']({ name: 'futures!' });
  assert.equal(again.id, 'futures-2', 'ids stay unique');
  await assert.rejects(h['watchlist:create']({ name: 'Futures' }), /already a watchlist called Futures/);
  await h['watchlist:rename']({ id: 'a', name: 'Stocks' });
  await assert.rejects(h['watchlist:rename']({ id: 'a', name: 'Futures' }), /already/);
  const order = await h['watchlist:reorder']({ ids: ['futures-2', 'a', 'futures'] });
  assert.deepEqual(order.map((l) => l.name), ['futures!', 'Stocks', 'Futures']);
  await assert.rejects(h['watchlist:reorder']({ ids: ['a', 'futures'] }), /every watchlist once/);
  await h['watchlist:delete']({ id: 'futures' });
  assert.deepEqual(service.all().map((l) => l.id), ['futures-2', 'a']);
  assert.deepEqual(service.all()[1]!.symbols, ['AAPL'], 'symbols untouched by list edits');
});

test('the last list cannot be deleted; a vanished list is reported as such', async () => {
  const { h } = setup([{ id: 'only', name: 'Only', symbols: [] }]);
  await assert.rejects(h['watchlist:delete']({ id: 'only' }), /last watchlist/);
  await assert.rejects(h['watchlist:add-symbols']({ id: 'gone', symbols: ['AAPL'] }), /no longer exists/);
});

test('removing symbols removes exactly those; removing an absent one is a no-op without an event', async () => {
  const { h, changed } = setup([{ id: 'a', name: 'A', symbols: ['AAPL', 'MSFT', 'NVDA'] }]);
  const after = await h['watchlist:remove-symbols']({ id: 'a', symbols: ['MSFT', 'NVDA'] });
  assert.deepEqual(after.symbols, ['AAPL']);
  await h['watchlist:remove-symbols']({ id: 'a', symbols: ['TSLA'] });
  assert.equal(changed.length, 1);
});

test('stored lists are read leniently: bad items skipped, invalid symbols dropped, duplicates folded', () => {
  const { service } = setup([
    { id: 'a', name: ' A ', symbols: ['AAPL', 'AAPL', 'bad symbol'] },
    { id: 'a', name: 'dup id', symbols: [] },
    null as unknown as Watchlist,
  ]);
  assert.deepEqual(service.all(), [{ id: 'a', name: 'A', symbols: ['AAPL'] }]);
});
