/**
 * The archive as received: frames are stored before they are decoded, binary frames and text that
 * is not valid UTF-8 as bytes, and every TEXT column holds valid UTF-8; files of schema 1 upgrade.
 */
import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readFrames } from '../../../electron/node/recorder/frames.js';
import { Recorder } from '../../../electron/node/recorder/recorder.js';
import { FRAME_FLAGS, SCHEMA_VERSION } from '../../../electron/node/recorder/schema.js';
import { replayFrames } from '../../../electron/node/replay/replay.js';
import type { MarketUpdate } from '../../../shared/market.js';
import { archivedFrames, query } from '../../helpers/db.js';
import { tempDir } from '../../helpers/tmp.js';

const tmp = tempDir('archive');
after(() => tmp.cleanup());
let n = 0;
const fresh = () => join(tmp.dir, `a${n++}.db`);
const update = (key: string, fields: MarketUpdate['fields']): MarketUpdate => ({ service: 'LEVELONE_EQUITIES', key, ts: 1, fields, meta: {} });
interface FrameRow { id: number; text: string | null; data: Buffer | null; flags: number }
const frames = (path: string): FrameRow[] => archivedFrames(path).map((f) => ({ id: f.id, text: f.text, data: f.data && Buffer.from(f.data), flags: f.flags }));

/** Every TEXT value of every table, read back as bytes. */
function textBytes(path: string): { table: string; column: string; bytes: Buffer }[] {
  const db = new Database(path, { readonly: true });
  try {
    const out: { table: string; column: string; bytes: Buffer }[] = [];
    for (const table of db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]) {
      for (const { name } of db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]) {
        const rows = db.prepare(`SELECT CAST("${name}" AS BLOB) AS b FROM "${table}" WHERE typeof("${name}") = 'text'`).pluck().all() as Buffer[];
        for (const bytes of rows) out.push({ table, column: name, bytes });
      }
    }
    return out;
  } finally {
    db.close();
  }
}

for (const threaded of [false, true]) {
  const open = (path: string) => (threaded ? Recorder.openThreaded(path) : Promise.resolve(Recorder.open(path)));
  const label = threaded ? 'writer thread' : 'inline';

  test(`${label}: a frame is archived first, and the rows it decodes to point at it`, async () => {
    const path = fresh();
    const r = await open(path);
    r.beginConnection({ connectionId: 1, provider: 'schwab', dialect: 'schwab', url: 'ws://x' });
    r.archive({ connectionId: 1, receivedAt: 5, text: '{"data":[]}' });
    const u = update('AAPL', { bid_price: 1 });
    r.decoded({ receivedAt: 5, updates: [u], merged: [u] });
    // A frame nothing was decoded from (its decoder failed, say) is archived all the same.
    r.archive({ connectionId: 1, receivedAt: 6, text: 'not json' });
    await r.close();
    assert.deepEqual(frames(path).map((f) => [f.text, f.flags]), [['{"data":[]}', 0], ['not json', 0]]);
    assert.deepEqual(query(path, 'SELECT frame_id, key FROM levelone_equities'), [{ frame_id: 1, key: 'AAPL' }]);
  });

  test(`${label}: binary frames and text that is not UTF-8 are kept as their exact bytes, and flagged`, async () => {
    const path = fresh();
    const r = await open(path);
    r.beginConnection({ connectionId: 1, provider: 'schwab', dialect: 'schwab', url: 'ws://x' });
    const binary = Buffer.from([0, 1, 2, 0xff, 0xfe]);
    const notUtf8 = Buffer.from([0x7b, 0x22, 0xc3, 0x28, 0x22, 0x7d]);
    // A view into a larger buffer (as a socket hands it) is stored as the view, not the whole buffer.
    const pool = Buffer.concat([Buffer.from('xxxx'), binary, Buffer.from('yyyy')]);
    r.archive({ connectionId: 1, receivedAt: 1, text: '', bytes: pool.subarray(4, 9), binary: true });
    r.archive({ connectionId: 1, receivedAt: 2, text: notUtf8.toString('utf8'), bytes: notUtf8 });
    r.decoded({ receivedAt: 2, updates: [], merged: [], notDecoded: true });
    // A string with a lone surrogate cannot be SQLite text: its exact code units go in as WTF-8 bytes.
    r.archive({ connectionId: 1, receivedAt: 3, text: 'a\ud800b' });
    await r.close();
    const [b, t, s] = frames(path);
    assert.deepEqual([b!.text, [...b!.data!], b!.flags], [null, [...binary], FRAME_FLAGS.binary]);
    assert.deepEqual([t!.text, [...t!.data!], t!.flags], [null, [...notUtf8], FRAME_FLAGS.notUtf8 | FRAME_FLAGS.notDecoded]);
    assert.deepEqual([s!.text, [...s!.data!], s!.flags], [null, [0x61, 0xed, 0xa0, 0x80, 0x62], FRAME_FLAGS.notUtf8]);
  });
}

test('every TEXT column is valid UTF-8, session text from a server included; repaired frames are flagged', () => {
  const path = fresh();
  const r = Recorder.open(path);
  r.beginConnection({ connectionId: 1, provider: 'schwab', dialect: 'schwab', url: 'wss://x/\ud800' });
  r.archive({ connectionId: 1, receivedAt: 1, text: String.raw`{"key":"\ud800lone"}` });
  const u = update('\ufffdlone', { description: 'd\ufffd' });
  r.decoded({ receivedAt: 1, updates: [u], merged: [u], repairedText: true });
  r.endConnection(1, 'server closed the stream (code 30: \udc00)');
  r.close();
  const texts = textBytes(path);
  assert.ok(texts.some((t) => t.table === 'sessions' && t.column === 'end_reason'));
  for (const t of texts) assert.ok(isUtf8(t.bytes), `${t.table}.${t.column}: ${t.bytes.toString('hex')}`);
  assert.equal(frames(path)[0]!.flags, FRAME_FLAGS.repairedText);
});

test('replay hands binary frames on undecoded and decodes text that was not UTF-8 from its bytes', async () => {
  const path = fresh();
  const r = Recorder.open(path);
  r.beginConnection({ connectionId: 1, provider: 'schwab', dialect: 'schwab', url: 'ws://x' });
  r.archive({ connectionId: 1, receivedAt: 1, text: '', bytes: Buffer.from('{"notify":[{"heartbeat":"1"}]}'), binary: true });
  const bad = Buffer.concat([Buffer.from('{"notify":[{"heartbeat":"7"}],"x":"'), Buffer.from([0xff]), Buffer.from('"}')]);
  r.archive({ connectionId: 1, receivedAt: 2, text: bad.toString('utf8'), bytes: bad });
  r.close();
  assert.deepEqual([...readFrames(path)].map((f) => f.flags), [FRAME_FLAGS.binary, FRAME_FLAGS.notUtf8]);
  const seen: { binary: boolean; heartbeat: number | null }[] = [];
  await replayFrames({ dbPath: path, speed: 0, onFrame: (f) => void seen.push({ binary: f.binary, heartbeat: f.decoded.heartbeat }) });
  assert.deepEqual(seen, [{ binary: true, heartbeat: null }, { binary: false, heartbeat: 7 }]);
});

test('a file of schema version 1 is upgraded: its frames keep their text and get flags 0', () => {
  const path = fresh();
  const db = new Database(path);
  db.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE sessions (id INTEGER PRIMARY KEY, provider TEXT, dialect TEXT, url TEXT, started_at INTEGER, ended_at INTEGER, end_reason TEXT);
    CREATE TABLE frames (id INTEGER PRIMARY KEY, session_id INTEGER, received_at INTEGER, text TEXT);
    INSERT INTO meta VALUES ('schema_version', '1'), ('created_at', '1');
    INSERT INTO frames VALUES (1, NULL, 1, 'old frame');`);
  db.close();
  const r = Recorder.open(path);
  r.beginConnection({ connectionId: 1, provider: 'schwab', dialect: 'schwab', url: 'ws://x' });
  r.archive({ connectionId: 1, receivedAt: 2, text: '', bytes: Buffer.from([1]), binary: true });
  r.close();
  assert.deepEqual(frames(path).map((f) => [f.text, f.data && [...f.data], f.flags]), [['old frame', null, 0], [null, [1], FRAME_FLAGS.binary]]);
  assert.deepEqual(query(path, "SELECT value FROM meta WHERE key = 'schema_version'"), [{ value: String(SCHEMA_VERSION) }]);
});

test('a file of schema version 2 keeps its frames readable; new frames follow their ids and all end up compressed', () => {
  const path = fresh();
  const db = new Database(path);
  db.exec(`CREATE TABLE meta (key TEXT PRIMARY KEY, value TEXT);
    CREATE TABLE sessions (id INTEGER PRIMARY KEY, provider TEXT, dialect TEXT, url TEXT, started_at INTEGER, ended_at INTEGER, end_reason TEXT);
    CREATE TABLE frames (id INTEGER PRIMARY KEY, session_id INTEGER, received_at INTEGER, text TEXT, data BLOB, flags INTEGER NOT NULL DEFAULT 0);
    INSERT INTO meta VALUES ('schema_version', '2'), ('created_at', '1');
    INSERT INTO sessions VALUES (1, 'schwab', 'schwab', 'ws://x', 1, 3, 'done');
    INSERT INTO frames VALUES (1, 1, 1, 'old one', NULL, 0), (2, 1, 2, NULL, x'ff00', 2), (3, 1, 3, 'old three', NULL, 8);`);
  db.close();
  const r = Recorder.open(path);
  r.beginConnection({ connectionId: 7, provider: 'schwab', dialect: 'schwab', url: 'ws://y' });
  r.archive({ connectionId: 7, receivedAt: 4, text: 'new' });
  r.close();
  assert.deepEqual(
    frames(path).map((f) => [f.id, f.text, f.data && [...f.data], f.flags]),
    [[1, 'old one', null, 0], [2, null, [0xff, 0], 2], [3, 'old three', null, 8], [4, 'new', null, 0]],
  );
  // Closing folded the tail: two blocks, one per session.
  assert.deepEqual(query(path, 'SELECT id, last_id, session_id FROM frame_blocks ORDER BY id'), [{ id: 1, last_id: 3, session_id: 1 }, { id: 4, last_id: 4, session_id: 2 }]);
  assert.equal(query(path, 'SELECT id FROM frames').length, 0);
});
