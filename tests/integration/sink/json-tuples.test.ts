/**
 * Tuples made from SQLite's JSON text of rows (json-tuples.ts) against the values-then-encoder path
 * they replace, on a real SQLite file: byte for byte the same, coercions counted the same; and,
 * through a real PostgreSQL, integers past 2^53 arriving exactly.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Recorder } from '../../../electron/node/recorder/recorder.js';
import { encodeTuples } from '../../../electron/node/sink/copy-encoder.js';
import { encodeJsonRows } from '../../../electron/node/sink/json-tuples.js';
import { DAY_MS } from '../../../electron/node/sink/pg-schema.js';
import { parsePgUrl } from '../../../electron/node/sink/pg-url.js';
import { Shipper } from '../../../electron/node/sink/shipper.js';
import { SqliteSource } from '../../../electron/node/sink/sqlite-source.js';
import { testDatabase } from '../../helpers/postgres.js';
import { tempDir } from '../../helpers/tmp.js';

const tmp = tempDir('json-tuples');
after(() => tmp.cleanup());
const T0 = Date.UTC(2025, 2, 14, 15);

/** A file with one table of every JSON-readable column type; `rows` are [i, f, s, n, received_at] as SQL literals. */
function file(name: string, rows: string[][]): string {
  const path = join(tmp.dir, name);
  // A recording's file (its meta names the recorder), with a table of its own added.
  Recorder.open(path).close();
  const db = new Database(path);
  // NUMERIC is float8 in PostgreSQL and keeps text that does not look like a number as text.
  db.exec('CREATE TABLE ticks (id INTEGER PRIMARY KEY, i INTEGER, f REAL, s TEXT, n NUMERIC, received_at INTEGER)');
  for (const r of rows) db.exec(`INSERT INTO ticks (i, f, s, n, received_at) VALUES (${r.join(', ')})`);
  db.close();
  return path;
}

test('SQLite rows read as JSON text become the very tuples their values would, coercions counted alike', () => {
  const rows: string[][] = [
    ['0', '0.0', "''", 'NULL', `${T0}`],
    ['-1', '-0.5', "'AAPL'", '7', `${T0 + 1}`],
    [`${Number.MAX_SAFE_INTEGER}`, '1e300', "'é€𝄞 漢字'", '86.14', `${T0 + DAY_MS}`],
    [`${-Number.MAX_SAFE_INTEGER}`, '-9e999', `'${'x'.repeat(100)}'`, '-3', `${T0 - 5}`],
    ['123456789012345', '9e999', "'''\"\\' || char(9) || char(10) || char(13)", '0.1', 'NULL'],
    ['1764300000123', '123.456', "'line' || char(13) || char(10)", '5e-324', `${T0 + 2 * DAY_MS}`],
    ['42', '1234567.891234567', "'a' || char(0) || 'b'", "'NaN?'", `${T0 + 3}`],
    // A hostile feed's 1.5 in an INTEGER column, text in number columns, bytes that are not UTF-8.
    ['1.5', "'abc'", "CAST(x'ff41c3' AS TEXT)", "'12x'", `${T0 + 4}`],
    ['7.0', '2.5e-10', "'\\u0041'", '1e20', `${T0 + 5}`],
    // Decimals that a multiplication by 1/10^k would get wrong in the last bit.
    ['3', '0.3', "'0.3'", '4.35', `${T0 + 6}`],
    ['NULL', 'NULL', 'NULL', 'NULL', 'NULL'],
  ];
  const source = SqliteSource.open(file('same.db', rows));
  try {
    const table = source.tables().ship.find((t) => t.name === 'ticks')!;
    const types = table.columns.map((c) => c.type);
    const timeAt = table.columns.findIndex((c) => c.name === 'received_at');
    assert.ok(source.readsAsJson(table));
    const text = source.jsonRows(table, 0, 1_000)!;
    const fromJson = encodeJsonRows(types, text, 'rec-1', timeAt);
    const fromValues = encodeTuples(types, source.read(table, 0, 1_000), 'rec-1');
    assert.equal(fromJson.rows, rows.length);
    assert.ok(fromJson.data.equals(fromValues.data), 'the same bytes as the encoder of the values');
    // 1.5, 'abc', the NUL, 'NaN?', '12x'.
    assert.equal(fromJson.coerced, 5);
    assert.equal(fromJson.coerced, fromValues.coerced);
    assert.equal(fromJson.lastId, rows.length);
    assert.equal(fromJson.oldestTime, T0 - 5);
    assert.deepEqual([...fromJson.days].sort(), [0, 1, 2].map((d) => Math.floor(T0 / DAY_MS) + d));
    // Read from past a mark, and past the end.
    assert.equal(encodeJsonRows(types, source.jsonRows(table, 8, 1_000)!, 'rec-1', timeAt).rows, 3);
    assert.equal(source.jsonRows(table, rows.length, 1_000), null);
  } finally {
    source.close();
  }
});

test('integers past 2^53 arrive in PostgreSQL exactly as SQLite holds them', async (t) => {
  const db = await testDatabase(t);
  if (!db) return;
  const big = ['9223372036854775807', '-9223372036854775808', '9007199254740993', '-9007199254740993', '1234567890123456789'];
  const path = file('big.db', big.map((v) => [v, 'NULL', 'NULL', 'NULL', `${T0}`]));
  const shipper = Shipper.open(path, parsePgUrl(db.url));
  await shipper.drain();
  await shipper.close();
  assert.deepEqual(Object.fromEntries(shipper.shippedRows), { ticks: big.length });
  const back = await db.query<{ i: string }>('SELECT i::text AS i FROM ticks ORDER BY id');
  assert.deepEqual(
    back.map((r) => r.i),
    big,
  );
});
