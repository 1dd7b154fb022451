/**
 * The Parquet exporter on real SQLite files, read back by DuckDB: every SQLite storage class and its
 * edge values, row groups, values that do not fit their column, interruption, and folder exports
 * that fail part way (nothing of them is left).
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { exportParquetFolder, exportParquetTable } from '../../electron/node/recorder/parquet-export.js';
import { readParquet, readSqlite } from '../helpers/parquet.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('parquet-export');
after(() => tmp.cleanup());
let n = 0;
/** A database file and a folder name beside it, both new. */
const fresh = () => {
  n++;
  return { dir: join(tmp.dir, `case${n}`), db: join(tmp.dir, `case${n}.db`) };
};

function makeDb(path: string, sql: string, rows: unknown[][] = [], insert = ''): void {
  const db = new Database(path);
  db.exec(sql);
  const stmt = insert ? db.prepare(insert) : null;
  for (const r of rows) stmt!.run(...r);
  db.close();
}

const EDGE_ROWS: unknown[][] = [
  [1, 1_700_000_000_123, 9223372036854775807n, 1.5, 'AAPL', Buffer.from([0, 255, 1])],
  [2, null, -9223372036854775808n, -0.000001, '', Buffer.alloc(0)],
  [3, 0, 0, 1e308, 'é 漢 😀', null],
  [4, -1, null, Infinity, '=1+1', Buffer.from('text as bytes')],
  [5, 1_800_000_000_000, 2 ** 53 + 1, null, null, Buffer.alloc(70_000, 7)],
  [6, 1, 42, -Infinity, 'x'.repeat(100_000), Buffer.from([1])],
  [7, 2, -42, 0, 'tab\there', Buffer.from([2])],
  [8, 3, 1, 2.5, 'line\r\nbreak', Buffer.from([3])],
  [9, 4, 2, 3.25, 'nul\u0000inside', Buffer.from([4])],
  [10, 5, 3, 123456.789, 'last', Buffer.from([5])],
];
const EDGE_TABLE = 'CREATE TABLE edge (id INTEGER PRIMARY KEY, received_at INTEGER, n INTEGER, x REAL, s TEXT, b BLOB)';
const EDGE_INSERT = 'INSERT INTO edge VALUES (?, ?, ?, ?, ?, ?)';

test('every storage class and its edge values come back from DuckDB as SQLite holds them, one row group per chunk', async () => {
  const { db } = fresh();
  makeDb(db, EDGE_TABLE, EDGE_ROWS, EDGE_INSERT);
  const out = join(tmp.dir, 'edge.parquet');
  const w = await exportParquetTable(db, { table: 'edge', out, rowGroupRows: 3 });
  assert.deepEqual(w, { table: 'edge', file: out, rows: 10, rowGroups: 4 });
  const back = await readParquet(out);
  const want = readSqlite(db, 'edge');
  assert.deepEqual(back.types, { id: 'BIGINT', received_at: 'TIMESTAMP WITH TIME ZONE', n: 'BIGINT', x: 'DOUBLE', s: 'VARCHAR', b: 'BLOB' });
  assert.deepEqual(back.types, want.types);
  assert.deepEqual(back.rows, want.rows);
  assert.equal(back.rowGroups, 4);
  assert.deepEqual(back.codecs, ['SNAPPY']);
});

test('NUMERIC and untyped columns: numbers as doubles, anything untyped as bytes (its text for text and numbers)', async () => {
  const { db } = fresh();
  makeDb(db, 'CREATE TABLE loose (id INTEGER PRIMARY KEY, amount NUMERIC, anything, price DECIMAL(10,2))', [[1, 3, 'abc', 2], [2, 1.5, 12, 2.25], [3, null, Buffer.from([9, 8]), null]], 'INSERT INTO loose VALUES (?, ?, ?, ?)');
  const out = join(tmp.dir, 'loose.parquet');
  await exportParquetTable(db, { table: 'loose', out });
  const back = await readParquet(out);
  assert.deepEqual(back.types, { id: 'BIGINT', amount: 'DOUBLE', anything: 'BLOB', price: 'DOUBLE' });
  assert.deepEqual(back.rows, [
    [1n, 3, `bytes:${Buffer.from('abc').toString('hex')}`, 2],
    [2n, 1.5, `bytes:${Buffer.from('12').toString('hex')}`, 2.25],
    [3n, null, 'bytes:0908', null],
  ]);
});

test('a value its column cannot hold is refused with table, column and value named, and no file is left', async () => {
  const { db } = fresh();
  makeDb(db, 'CREATE TABLE t (id INTEGER PRIMARY KEY, n INTEGER)', [[1, 5], [2, 'abc']], 'INSERT INTO t VALUES (?, ?)');
  const out = join(tmp.dir, 'refused.parquet');
  await assert.rejects(exportParquetTable(db, { table: 't', out, rowGroupRows: 1 }), /t\.n \(declared INTEGER\) holds 'abc', which a Parquet INT64 column cannot hold/);
  assert.deepEqual(leftovers(), []);
});

test('an abort between row groups removes the partial file', async () => {
  const { db } = fresh();
  makeDb(db, EDGE_TABLE, EDGE_ROWS, EDGE_INSERT);
  const abort = new AbortController();
  abort.abort();
  const out = join(tmp.dir, 'aborted.parquet');
  await assert.rejects(exportParquetTable(db, { table: 'edge', out, rowGroupRows: 2, signal: abort.signal }), /interrupted/);
  assert.equal(existsSync(out), false);
  assert.deepEqual(leftovers(), []);
});

test('a folder export that fails on one table writes none, and removes the folders it made', async () => {
  const { dir, db } = fresh();
  makeDb(db, `${EDGE_TABLE}; CREATE TABLE z_bad (id INTEGER PRIMARY KEY, n INTEGER); INSERT INTO z_bad VALUES (1, 'abc')`, EDGE_ROWS, EDGE_INSERT);
  const target = join(dir, 'made', 'by', 'export');
  await assert.rejects(exportParquetFolder(db, { dir: target, rowGroupRows: 2 }), /z_bad\.n/);
  assert.equal(existsSync(dir), false);
  assert.deepEqual(leftovers(), []);
});

test('one table whose filters leave no rows is still a file, with the columns and no rows', async () => {
  const { db } = fresh();
  makeDb(db, 'CREATE TABLE q (id INTEGER PRIMARY KEY, received_at INTEGER, key TEXT, bid REAL)', [[1, 10, 'AAPL', 1.5]], 'INSERT INTO q VALUES (?, ?, ?, ?)');
  const out = join(tmp.dir, 'empty.parquet');
  const w = await exportParquetTable(db, { table: 'q', out, key: 'MSFT' });
  assert.equal(w.rows, 0);
  const back = await readParquet(out);
  assert.deepEqual(back.types, { id: 'BIGINT', received_at: 'TIMESTAMP WITH TIME ZONE', key: 'VARCHAR', bid: 'DOUBLE' });
  assert.deepEqual(back.rows, []);
});

/** Temp files an export left anywhere under the test's folder. */
function leftovers(): string[] {
  return readdirSync(tmp.dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.partial'));
}
