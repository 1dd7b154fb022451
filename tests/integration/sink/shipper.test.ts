/**
 * The shipper over finished files against a real PostgreSQL: the tables it makes (daily
 * partitions, BRIN on time), resuming, two shippers at once, tables and columns that appear
 * later, and a PostgreSQL table it cannot write into.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Recorder } from '../../../electron/node/recorder/recorder.js';
import { parsePgUrl } from '../../../electron/node/sink/pg-url.js';
import { Shipper, type SinkNotice } from '../../../electron/node/sink/shipper.js';
import type { MarketUpdate } from '../../../shared/market.js';
import { testDatabase, type TestDatabase } from '../../helpers/postgres.js';
import { tempDir } from '../../helpers/tmp.js';

const tmp = tempDir('shipper');
after(() => tmp.cleanup());
let files = 0;
const DAY = 86_400_000;
const T0 = Date.UTC(2025, 2, 14);

/** A finished recording: `rows` level-one updates, one frame each, spread over `days` days from T0. */
function record(rows: number, days = 1): string {
  const path = join(tmp.dir, `r${files++}.db`);
  const r = Recorder.open(path);
  r.beginConnection({ connectionId: 1, provider: 'schwab', dialect: 'schwab', url: 'ws://x' });
  for (let i = 0; i < rows; i++) {
    const receivedAt = T0 + Math.floor((i * days * DAY) / rows);
    r.archive({ connectionId: 1, receivedAt, text: `{"i":${i}}` });
    const u: MarketUpdate = { service: 'LEVELONE_EQUITIES', key: i % 2 ? 'AAPL' : 'MSFT', ts: receivedAt, fields: { last_price: i }, meta: {} };
    r.decoded({ receivedAt, updates: [u], merged: [u] });
  }
  r.endConnection(1, 'done', T0 + days * DAY);
  r.close();
  return path;
}

const num = async (db: TestDatabase, sql: string) => Number(Object.values((await db.query(sql))[0]!)[0]);

test('tables mirror SQLite plus recorder_id, in daily partitions with BRIN on received_at; a second run ships nothing', async (t) => {
  const db = await testDatabase(t);
  if (!db) return;
  const path = record(3_000, 3);
  const first = Shipper.open(path, parsePgUrl(db.url), { batchRows: 700 });
  await first.drain();
  await first.close();
  assert.deepEqual(Object.fromEntries(first.shippedRows), { frames: 3_000, levelone_equities: 3_000, sessions: 1 });

  const parts = await db.query<{ name: string }>(
    "SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = 'levelone_equities'::regclass ORDER BY 1",
  );
  assert.deepEqual(
    parts.map((p) => p.name),
    ['levelone_equities_default', 'levelone_equities_p20250314', 'levelone_equities_p20250315', 'levelone_equities_p20250316'],
  );
  assert.equal(await num(db, 'SELECT count(*) FROM levelone_equities_p20250315'), 1_000);
  const brin = await db.query<{ indexdef: string }>("SELECT indexdef FROM pg_indexes WHERE tablename = 'levelone_equities' AND indexdef LIKE '%USING brin%'");
  assert.match(brin[0]?.indexdef ?? '', /USING brin \(received_at\)/);
  const cols = await db.query<{ column_name: string; data_type: string }>(
    "SELECT column_name, data_type FROM information_schema.columns WHERE table_name = 'frames' ORDER BY ordinal_position",
  );
  assert.deepEqual(
    cols.map((c) => `${c.column_name} ${c.data_type}`),
    ['recorder_id text', 'id bigint', 'session_id bigint', 'received_at bigint', 'text text', 'data bytea', 'flags bigint'],
  );
  // Updated in place in SQLite, so not shipped: the newest row per key is a query in PostgreSQL.
  assert.equal((await db.query("SELECT 1 FROM pg_tables WHERE tablename LIKE '%\\_latest'")).length, 0);

  const again = Shipper.open(path, parsePgUrl(db.url));
  await again.drain();
  await again.close();
  assert.deepEqual(Object.fromEntries(again.shippedRows), {});
  assert.equal(again.recorderId, first.recorderId);
  assert.equal(await num(db, 'SELECT count(*) FROM levelone_equities'), 3_000);
});

test('two shippers of one file at once ship every row exactly once', async (t) => {
  const db = await testDatabase(t);
  if (!db) return;
  const path = record(6_000);
  const a = Shipper.open(path, parsePgUrl(db.url), { batchRows: 500 });
  const b = Shipper.open(path, parsePgUrl(db.url), { batchRows: 500 });
  await Promise.all([a.drain(), b.drain()]);
  await Promise.all([a.close(), b.close()]);
  for (const table of ['frames', 'levelone_equities']) {
    assert.equal(await num(db, `SELECT count(*) FROM ${table}`), 6_000, table);
    assert.equal(await num(db, `SELECT count(DISTINCT id) FROM ${table}`), 6_000, table);
  }
  assert.equal((a.shippedRows.get('frames') ?? 0) + (b.shippedRows.get('frames') ?? 0), 6_000);
});

test('tables and columns that appear in SQLite while a shipper follows the file are created and added', async (t) => {
  const db = await testDatabase(t);
  if (!db) return;
  const path = record(100);
  const shipper = Shipper.open(path, parsePgUrl(db.url));
  t.after(() => shipper.close());
  await shipper.drain();
  assert.deepEqual(Object.fromEntries(shipper.shippedRows), { frames: 100, levelone_equities: 100, sessions: 1 });

  // A later schema version: a new column on a shipped table, and a table created on first use.
  const w = new Database(path);
  w.exec('ALTER TABLE levelone_equities ADD COLUMN venue TEXT');
  w.exec('CREATE TABLE trades_tape (id INTEGER PRIMARY KEY, received_at INTEGER, price REAL, note BLOB)');
  w.prepare("INSERT INTO levelone_equities (frame_id, received_at, key, last_price, venue) VALUES (101, ?, 'IBM', 1.5, 'XNYS')").run(T0 + 5);
  w.prepare('INSERT INTO trades_tape (received_at, price, note) VALUES (?, 2.5, ?)').run(T0 + 6, Buffer.from([9]));
  w.close();

  await shipper.drain();
  assert.deepEqual(Object.fromEntries(shipper.shippedRows), { frames: 100, levelone_equities: 101, sessions: 1, trades_tape: 1 });
  assert.deepEqual(await db.query("SELECT key, venue FROM levelone_equities WHERE venue IS NOT NULL"), [{ key: 'IBM', venue: 'XNYS' }]);
  assert.equal(await num(db, 'SELECT count(*) FROM levelone_equities WHERE venue IS NULL'), 100);
  assert.deepEqual(await db.query('SELECT price, note FROM trades_tape'), [{ price: 2.5, note: Buffer.from([9]) }]);
});

test('a PostgreSQL table with a column of another type is left alone and said once; the others ship', async (t) => {
  const db = await testDatabase(t);
  if (!db) return;
  await db.query('CREATE TABLE frames (recorder_id text, id integer, text text)');
  const path = record(50);
  const notices: SinkNotice[] = [];
  const s = Shipper.open(path, parsePgUrl(db.url), { onNotice: (n) => notices.push(n) });
  await s.drain();
  await s.close();
  assert.deepEqual(notices, [{ kind: 'table-skipped', table: 'frames', reason: 'column id of frames is integer in PostgreSQL; the sink writes bigint' }]);
  assert.equal(await num(db, 'SELECT count(*) FROM frames'), 0);
  assert.equal(await num(db, 'SELECT count(*) FROM levelone_equities'), 50);
});
