import assert from 'node:assert/strict';
import { test } from 'node:test';
import { parseCall, type Events, type Watchlist } from '../../../shared/api.js';
import { COLUMN_IDS } from '../../../shared/columns.js';
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

test('a column layout is checked at the door: unknown columns, repeats and silly widths are refused', () => {
  const ok = (columns: unknown) => parseCall('watchlist:set-columns', { id: 'a', columns }).ok;
  assert.equal(ok(null), true, 'null resets');
  assert.equal(ok({ order: ['symbol', 'last'], hidden: [], widths: { last: 90 } }), true);
  assert.equal(ok({ order: ['symbol', 'nope'], hidden: [], widths: {} }), false, 'unknown column id');
  assert.equal(ok({ order: ['last', 'last'], hidden: [], widths: {} }), false, 'a column twice');
  assert.equal(ok({ order: [], hidden: [], widths: { last: 5 } }), false, 'narrower than the minimum');
  assert.equal(ok({ order: [], hidden: [], widths: { last: 1e6 } }), false, 'wider than the maximum');
  assert.equal(ok({ order: [], hidden: [], widths: { last: 80.5 } }), false, 'fractional width');
  assert.equal(ok({ order: [], hidden: [], widths: { evil: 80 } }), false, 'width of an unknown column');
});

test('set-columns saves a whole layout per list (Symbol first and shown), announces it, does not replan, and null resets', async () => {
  const { docs, h, changed, replans } = setup([{ id: 'a', name: 'A', symbols: ['AAPL'] }, { id: 'b', name: 'B', symbols: ['MSFT'] }]);
  const list = await h['watchlist:set-columns']({ id: 'a', columns: { order: ['last', 'symbol', 'bid'], hidden: ['symbol', 'volume'], widths: { last: 150 } } });
  assert.equal(list.columns?.order[0], 'symbol', 'Symbol stays first');
  assert.deepEqual(list.columns?.order.slice(1, 3), ['last', 'bid']);
  assert.equal(list.columns?.order.length, COLUMN_IDS.length, 'every column once, the rest appended');
  assert.deepEqual(list.columns?.hidden, ['volume'], 'Symbol cannot be hidden');
  assert.deepEqual(list.columns?.widths, { last: 150 });
  assert.equal(changed.length, 1);
  assert.equal(replans(), 0, 'a layout changes no subscription');
  const stored = (docs.docs.get('watchlists') as { watchlists: Watchlist[] }).watchlists;
  assert.deepEqual(stored[0]!.columns, list.columns);
  assert.equal(stored[1]!.columns, undefined, 'the other list keeps its own (default) layout');
  const reset = await h['watchlist:set-columns']({ id: 'a', columns: null });
  assert.equal('columns' in reset, false);
  await assert.rejects(h['watchlist:set-columns']({ id: 'gone', columns: null }), /no longer exists/);
});

test('a stored layout that is junk reads as the default layout, and the list survives', () => {
  for (const junk of [42, 'x', [], { order: 'symbol' }, { order: ['symbol'], hidden: [], widths: { last: -3 } }, { order: ['zzz'], hidden: [], widths: {} }]) {
    const { service } = setup([{ id: 'a', name: 'A', symbols: ['AAPL'], columns: junk } as unknown as Watchlist]);
    const [list] = service.all();
    assert.deepEqual(list!.symbols, ['AAPL']);
    assert.equal(list!.columns, undefined, JSON.stringify(junk));
  }
  const { service } = setup([{ id: 'a', name: 'A', symbols: ['AAPL'], columns: { order: ['bid', 'symbol'], hidden: [], widths: {} } }]);
  assert.deepEqual(service.all()[0]!.columns?.order.slice(0, 2), ['symbol', 'bid'], 'a partial stored layout is completed');
});
