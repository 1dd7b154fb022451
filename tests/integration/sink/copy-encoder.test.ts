/** The hand-written binary COPY encoder against a real PostgreSQL: what goes in comes back, and what cannot fit becomes NULL, counted. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { encodeCopy, type PgType, type SqliteValue } from '../../../electron/node/sink/copy-encoder.js';
import { testDatabase } from '../../helpers/postgres.js';

const TYPES: PgType[] = ['int8', 'float8', 'text', 'bytea'];

async function roundTrip(url: string, rows: SqliteValue[][]): Promise<{ back: unknown[][]; coerced: number }> {
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('CREATE TABLE t (rid text, i bigint, f double precision, s text, b bytea)');
    const encoded = encodeCopy(TYPES, rows, 'rec-1');
    await new Promise<void>((resolve, reject) => {
      const stream = c.query(copyFrom('COPY t (rid, i, f, s, b) FROM STDIN (FORMAT binary)'));
      stream.on('error', reject);
      stream.on('finish', () => resolve());
      stream.end(encoded.data);
    });
    const r = await c.query({ text: 'SELECT rid, i::text, f, s, b FROM t', rowMode: 'array' });
    return { back: r.rows as unknown[][], coerced: encoded.coerced };
  } finally {
    await c.end();
  }
}

test('every SQLite value of the four column types arrives as stored', async (t) => {
  const db = await testDatabase(t);
  if (!db) return;
  const rows: SqliteValue[][] = [
    [0, 0, '', Buffer.alloc(0)],
    [-1, -0.5, 'AAPL', Buffer.from([0, 1, 255])],
    [Number.MAX_SAFE_INTEGER, 1e300, 'é€𝄞 漢字', Buffer.from('{"data":[]}')],
    [-Number.MAX_SAFE_INTEGER, -Infinity, 'x'.repeat(100_000), Buffer.alloc(70_000, 7)],
    [2 ** 62, Infinity, '\'"\\\t\n', null],
    [-(2 ** 63), 5, null, null],
    [1_764_300_000_123, 123.456, 'line\r\n', null],
    [9_223_372_036_854_775_807n, 7n, 3, null],
    [null, null, null, null],
  ];
  const { back, coerced } = await roundTrip(db.url, rows);
  assert.equal(coerced, 0);
  assert.deepEqual(
    back,
    rows.map((r) => ['rec-1', r[0] === null ? null : BigInt(r[0] as number | bigint).toString(), r[1] === null ? null : Number(r[1]), r[2] === null ? null : String(r[2]), r[3]]),
  );
});

test('values the column type cannot hold become NULL and are counted; NUL characters become U+FFFD', async (t) => {
  const db = await testDatabase(t);
  if (!db) return;
  const rows: SqliteValue[][] = [
    // A hostile feed's 1.5 in an INTEGER column, text in numeric columns, an integer past int64.
    [1.5, 'NaN?', 'a\0b', Buffer.from('raw')],
    ['12', Buffer.from([1]), Buffer.from('bytes as text'), 'text as bytes'],
    [2 ** 63, 1, 'ok', null],
  ];
  const { back, coerced } = await roundTrip(db.url, rows);
  assert.deepEqual(back, [
    ['rec-1', null, null, 'a\ufffdb', Buffer.from('raw')],
    ['rec-1', null, null, 'bytes as text', Buffer.from('text as bytes')],
    ['rec-1', null, 1, 'ok', null],
  ]);
  // 1.5, 'NaN?', the NUL, '12', the float8 Buffer, the text Buffer, the bytea string, 2^63.
  assert.equal(coerced, 8);
});
