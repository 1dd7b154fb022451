/** The recorder on real SQLite files: rows, merged latest rows, child rows, batching, exports, errors. */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { readFileSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { exportCsv, exportDatabase } from '../../../electron/node/recorder/export.js';
import { readFrames } from '../../../electron/node/recorder/frames.js';
import { Recorder } from '../../../electron/node/recorder/recorder.js';
import type { MarketUpdate } from '../../../shared/market.js';
import { archivedFrames, count, query } from '../../helpers/db.js';
import { merging } from '../../helpers/merging.js';
import { tempDir } from '../../helpers/tmp.js';

const tmp = tempDir('recorder');
after(() => tmp.cleanup());
let n = 0;
const fresh = () => join(tmp.dir, `t${n++}.db`);
const u = (service: string, key: string, fields: MarketUpdate['fields'], extra: Partial<MarketUpdate> = {}): MarketUpdate => ({ service, key, ts: 1000 + n, fields, meta: {}, ...extra });

test('full-then-delta rows are stored as received; the latest row merges them', () => {
  const path = fresh();
  const r = Recorder.open(path);
  const s = 1;
  r.beginConnection({ connectionId: s, provider: 'demo', dialect: 'schwab', url: 'ws://x' });
  const m = merging('schwab');
  r.record(m({ connectionId: s, receivedAt: 1, text: 'f1', updates: [u('LEVELONE_EQUITIES', 'AAPL', { bid_price: 1, ask_price: 2, marginable: true }, { meta: { delayed: false, assetMainType: 'EQUITY' } })] }));
  r.record(m({ connectionId: s, receivedAt: 2, text: 'f2', updates: [u('LEVELONE_EQUITIES', 'AAPL', { ask_price: 2.5 })] }));
  r.flush();
  r.record(m({ connectionId: s, receivedAt: 3, text: 'f3', updates: [u('LEVELONE_EQUITIES', 'AAPL', { last_price: 2.2 })] }));
  r.close();
  const rows = query<Record<string, unknown>>(path, 'SELECT received_at, bid_price, ask_price, last_price, marginable, delayed FROM levelone_equities ORDER BY id');
  assert.deepEqual(rows, [
    { received_at: 1, bid_price: 1, ask_price: 2, last_price: null, marginable: 1, delayed: 0 },
    { received_at: 2, bid_price: null, ask_price: 2.5, last_price: null, marginable: null, delayed: null },
    { received_at: 3, bid_price: null, ask_price: null, last_price: 2.2, marginable: null, delayed: null },
  ]);
  const latest = query<Record<string, unknown>>(path, 'SELECT key, bid_price, ask_price, last_price, asset_main_type FROM levelone_equities_latest');
  assert.deepEqual(latest, [{ key: 'AAPL', bid_price: 1, ask_price: 2.5, last_price: 2.2, asset_main_type: 'EQUITY' }]);
  assert.deepEqual(archivedFrames(path).map((f) => f.text), ['f1', 'f2', 'f3']);
});

test('a service of both dialects has one table with the union of columns', () => {
  const cols = (path: string) => (new Database(path, { readonly: true }).prepare('PRAGMA table_info(levelone_futures)').all() as { name: string }[]).map((c) => c.name);
  const path = fresh();
  const r = Recorder.open(path);
  r.beginConnection({ connectionId: 1, provider: 'demo', dialect: 'schwab', url: 'ws://x' });
  r.record(merging('schwab')({ connectionId: 1, receivedAt: 1, text: 'f', updates: [u('LEVELONE_FUTURES', '/ES', { bid_price: 1 })] }));
  r.close();
  const names = cols(path);
  for (const c of ['quote_time', 'quote_time_millis', 'future_change_percent', 'future_percent_change', 'settlement_date']) assert.ok(names.includes(c), c);
});

test('a service gets its tables with its first row; a table not created yet exports as an empty CSV', async () => {
  const tables = (path: string) => query<{ name: string }>(path, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name").map((t) => t.name);
  const path = fresh();
  const r = Recorder.open(path);
  r.beginConnection({ connectionId: 1, provider: 'demo', dialect: 'schwab', url: 'ws://x' });
  r.record(merging('schwab')({ connectionId: 1, receivedAt: 1, text: 'no updates', updates: [] }));
  r.flush();
  assert.deepEqual(tables(path), ['alerts', 'frame_blocks', 'frames', 'meta', 'price_history', 'recording_pauses', 'sessions']);
  r.record(merging('schwab')({ connectionId: 1, receivedAt: 2, text: 'f', updates: [u('NASDAQ_BOOK', 'AAPL', {}, { book: { bookTime: 1, bids: [{ price: 1, size: 2, count: 1, entries: [] }], asks: [] } })] }));
  r.close();
  assert.deepEqual(tables(path), ['alerts', 'frame_blocks', 'frames', 'meta', 'nasdaq_book', 'nasdaq_book_latest', 'nasdaq_book_levels', 'price_history', 'recording_pauses', 'sessions']);
  const csv = join(tmp.dir, 'options.csv');
  assert.deepEqual(await exportCsv(path, { table: 'levelone_options', out: csv }), { rows: 0 });
  assert.match(readFileSync(csv, 'utf8'), /^id,frame_id,received_at,ts,key,.*,bid_price,/);
  await assert.rejects(exportCsv(path, { table: 'no_such_table', out: csv }), /no table 'no_such_table'/);
});

test('books, actives and screener items land in child tables', () => {
  const path = fresh();
  const r = Recorder.open(path);
  const s = 1;
  r.beginConnection({ connectionId: s, provider: 'demo', dialect: 'tdameritrade', url: 'ws://x' });
  const m = merging('tdameritrade');
  r.record(m({
    connectionId: s, receivedAt: 5, text: 'x',
    updates: [
      u('NASDAQ_BOOK', 'MSFT', { book_time: 9 }, { book: { bookTime: 9, bids: [{ price: 10, size: 300, count: 2, entries: [{ venue: 'NSDQ', size: 100, time: 1 }, { venue: 'arcx', size: 200, time: 2 }] }], asks: [{ price: 11, size: 100, count: 1, entries: [] }] } }),
      u('ACTIVES_NASDAQ', 'NASDAQ-60', { actives: 'raw' }, { actives: { id: '7', sampleDuration: 60, startTime: '9:30:00', displayTime: '9:31:00', groups: [{ groupId: 0, total: 10, entries: [{ symbol: 'A', description: null, volume: 6, percent: 60 }, { symbol: 'B', description: null, volume: 4, percent: 40 }] }] } }),
    ],
  }));
  r.close();
  assert.deepEqual(query(path, 'SELECT side, position, price, size, count FROM nasdaq_book_levels ORDER BY side DESC, position'), [
    { side: 'bid', position: 0, price: 10, size: 300, count: 2 },
    { side: 'ask', position: 0, price: 11, size: 100, count: 1 },
  ]);
  assert.deepEqual(query(path, 'SELECT actives_id, sample_duration, actives FROM actives_nasdaq'), [{ actives_id: '7', sample_duration: 60, actives: 'raw' }]);
  assert.deepEqual(query(path, 'SELECT rank, symbol, volume FROM actives_nasdaq_entries ORDER BY rank'), [{ rank: 1, symbol: 'A', volume: 6 }, { rank: 2, symbol: 'B', volume: 4 }]);
});

test('commits are batched by rows and by time, visible to another connection', async () => {
  const path = fresh();
  const r = Recorder.open(path, { flushIntervalMs: 30, maxBatchRows: 50 });
  const s = 1;
  r.beginConnection({ connectionId: s, provider: 'demo', dialect: 'schwab', url: 'ws://x' });
  const m = merging('schwab');
  for (let i = 0; i < 49; i++) r.record(m({ connectionId: s, receivedAt: i, text: 'x', updates: [] }));
  assert.equal(r.stats().commits, 0);
  r.record(m({ connectionId: s, receivedAt: 99, text: 'x', updates: [] }));
  assert.equal(r.stats().commits, 1);
  assert.equal(archivedFrames(path).length, 50);
  r.record(m({ connectionId: s, receivedAt: 100, text: 'late', updates: [] }));
  while (r.stats().commits < 2) await new Promise((res) => setTimeout(res, 10));
  assert.equal(archivedFrames(path).length, 51);
  r.endConnection(s, 'done');
  r.close();
  assert.deepEqual(query(path, 'SELECT end_reason FROM sessions'), [{ end_reason: 'done' }]);
});

test('export makes a consistent copy while another connection keeps writing; CSV filters by time and key', async () => {
  const path = fresh();
  const r = Recorder.open(path, { flushIntervalMs: 5 });
  const s = 1;
  r.beginConnection({ connectionId: s, provider: 'demo', dialect: 'schwab', url: 'ws://x' });
  const m = merging('schwab');
  let i = 0;
  const writing = setInterval(() => {
    for (let k = 0; k < 200; k++, i++) r.record(m({ connectionId: s, receivedAt: i, text: `{"i":${i}}`, updates: [u('LEVELONE_EQUITIES', i % 2 ? 'AAPL' : 'MSFT', { last_price: i })] }));
  }, 2);
  while (r.stats().rows < 2000) await new Promise((res) => setTimeout(res, 5));
  const before = r.stats().rows;
  const copy = join(tmp.dir, 'copy.db');
  await exportDatabase(path, copy);
  const afterExport = r.stats().rows;
  while (r.stats().rows < afterExport + 1000) await new Promise((res) => setTimeout(res, 5));
  clearInterval(writing);
  r.close();
  const db = new Database(copy, { readonly: true });
  assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
  const copied = (db.prepare('SELECT count(*) AS n FROM levelone_equities').get() as { n: number }).n;
  db.close();
  assert.ok(copied >= before, `${copied} >= ${before}`);
  assert.ok(count(path, 'SELECT count(*) AS n FROM levelone_equities') > copied);

  const csv = join(tmp.dir, 'aapl.csv');
  const { rows } = await exportCsv(path, { table: 'levelone_equities', out: csv, from: 100, to: 299, key: 'AAPL' });
  assert.equal(rows, 100);
  const lines = readFileSync(csv, 'utf8').trim().split('\r\n');
  assert.equal(lines.length, 101);
  assert.match(lines[0]!, /^id,frame_id,received_at,ts,key,/);
  await assert.rejects(exportCsv(path, { table: 'sqlite_master; DROP TABLE frames', out: csv }), /no table/);
  await assert.rejects(exportDatabase(path, path), /another file/);
  assert.equal([...readFrames(path, { from: 10, to: 12 })].length, 3);
});

test('opening fails with one clear line for unusable paths', () => {
  const file = join(tmp.dir, 'plain.txt');
  writeFileSync(file, 'hello, this is not a database at all, just text that is long enough');
  assert.throws(() => Recorder.open(join(file, 'x.db')), /cannot create database at .*plain\.txt is not a folder/);
  assert.throws(() => Recorder.open(join(tmp.dir, 'missing', 'x.db')), /cannot create database at .*does not exist/);
  assert.throws(() => Recorder.open(file), /is not a Tapedeck database/);
  assert.throws(() => Recorder.open(tmp.dir), /cannot create database at .*: that is a folder, not a database file/);
  const other = join(tmp.dir, 'other.db');
  const db = new Database(other);
  db.exec('CREATE TABLE customers (id INTEGER)');
  db.close();
  assert.throws(() => Recorder.open(other), /not a Tapedeck one/);
  const newer = fresh();
  Recorder.open(newer).close();
  const w = new Database(newer);
  w.prepare("UPDATE meta SET value = '99' WHERE key = 'schema_version'").run();
  w.close();
  assert.throws(() => Recorder.open(newer), /newer Tapedeck/);
});

test('sessions rows a killed run left open are ended at their last frame when the file is opened again', () => {
  const path = fresh();
  const m = merging('schwab');
  const conn = (connectionId: number, startedAt: number) => ({ connectionId, provider: 'demo', dialect: 'schwab', url: 'ws://x', startedAt });
  const frame = (connectionId: number, receivedAt: number) =>
    m({ connectionId, receivedAt, text: `f${receivedAt}`, updates: [u('LEVELONE_EQUITIES', 'AAPL', { last_price: receivedAt })] });
  // A run killed before its connection got a frame, then one killed after its second connection
  // streamed: closing a recorder without ending its connection leaves the rows as a kill would.
  const first = Recorder.open(path);
  first.beginConnection(conn(1, 100));
  first.close();
  const second = Recorder.open(path);
  assert.equal(second.recoveredSessions, 1);
  second.beginConnection(conn(1, 200));
  second.record(frame(1, 210));
  second.endConnection(1, 'connection dropped', 250);
  second.beginConnection(conn(2, 300));
  second.record(frame(2, 310));
  second.record(frame(2, 320));
  second.close();

  const third = Recorder.open(path);
  assert.equal(third.recoveredSessions, 1);
  third.close();
  const rows = query<{ started_at: number; ended_at: number; end_reason: string }>(path, 'SELECT started_at, ended_at, end_reason FROM sessions ORDER BY id');
  assert.deepEqual(rows, [
    { started_at: 100, ended_at: 100, end_reason: 'process ended unexpectedly' },
    { started_at: 200, ended_at: 250, end_reason: 'connection dropped' },
    { started_at: 300, ended_at: 320, end_reason: 'process ended unexpectedly' },
  ]);
  const fourth = Recorder.open(path);
  assert.equal(fourth.recoveredSessions, 0);
  fourth.close();
});
