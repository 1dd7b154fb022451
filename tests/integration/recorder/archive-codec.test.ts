/**
 * Frame blocks across schema versions: a file a schema-3 recorder wrote (deflate-raw blocks, codec 1)
 * keeps every frame readable after a newer recorder opens it, and the blocks folded from then on
 * are brotli (codec 2), smaller for the same frames.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { deflateRawSync } from 'node:zlib';
import { CODEC_BROTLI, CODEC_DEFLATE_RAW } from '../../../electron/node/recorder/frame-block.js';
import { Recorder } from '../../../electron/node/recorder/recorder.js';
import { SCHEMA_VERSION } from '../../../electron/node/recorder/schema.js';
import { createSchemaSql } from '../../../electron/node/recorder/schema-sql.js';
import { replayFrames } from '../../../electron/node/replay/replay.js';
import { query } from '../../helpers/db.js';
import { tempDir } from '../../helpers/tmp.js';

const tmp = tempDir('archive-codec');
after(() => tmp.cleanup());

/** A block payload as schema 3 wrote it: deflate-raw of (flags × 2 + bytes?, at, length) varints, then the texts. */
function schema3Payload(texts: string[], at: number[]): Buffer {
  const index: number[] = [];
  const push = (n: number) => {
    for (; n >= 0x80; n = Math.floor(n / 0x80)) index.push((n % 0x80) | 0x80);
    index.push(n);
  };
  const bodies = texts.map((t) => Buffer.from(t, 'utf8'));
  bodies.forEach((b, i) => (push(0), push(at[i]!), push(b.byteLength)));
  return deflateRawSync(Buffer.concat([Buffer.from(index), ...bodies]));
}

/** The same JSON shape over and over, as a feed sends it. */
const feedFrame = (i: number) => `{"data":[{"service":"LEVELONE_EQUITIES","timestamp":${1_795_000_000_000 + i},"command":"SUBS","content":[{"key":"AAPL","1":${(230 + (i % 50) / 100).toFixed(2)},"2":${(230.02 + (i % 50) / 100).toFixed(2)},"4":${i % 9}00}]}]}`;

test('a schema-3 file keeps its deflate blocks readable; new blocks are brotli, and smaller for the same frames', async () => {
  const path = join(tmp.dir, 'v3.db');
  const old = Array.from({ length: 400 }, (_, i) => feedFrame(i));
  const db = new Database(path);
  for (const sql of createSchemaSql()) db.exec(sql);
  db.exec(`INSERT INTO meta VALUES ('schema_version', '3'), ('created_at', '1');
    INSERT INTO sessions VALUES (1, 'schwab', 'schwab', 'ws://x', 1, 400, 'done');`);
  db.prepare('INSERT INTO frame_blocks VALUES (1, ?, 1, ?, 1, ?, ?, ?)').run(old.length, old.length, old.length, CODEC_DEFLATE_RAW, schema3Payload(old, old.map((_, i) => i)));
  db.close();

  const fresh = Array.from({ length: 400 }, (_, i) => feedFrame(i));
  const r = Recorder.open(path);
  r.beginConnection({ connectionId: 1, provider: 'schwab', dialect: 'schwab', url: 'ws://y' });
  fresh.forEach((text, i) => r.archive({ connectionId: 1, receivedAt: 1_000 + i, text }));
  r.close();

  const replayed: string[] = [];
  await replayFrames({ dbPath: path, speed: 0, onFrame: (f) => void replayed.push(f.text) });
  assert.deepEqual(replayed, [...old, ...fresh]);
  const blocks = query<{ id: number; last_id: number; codec: number; bytes: number }>(path, 'SELECT id, last_id, codec, length(payload) AS bytes FROM frame_blocks ORDER BY id');
  assert.deepEqual(blocks.map((b) => [b.id, b.last_id, b.codec]), [[1, 400, CODEC_DEFLATE_RAW], [401, 800, CODEC_BROTLI]]);
  assert.ok(blocks[1]!.bytes < blocks[0]!.bytes, `brotli ${blocks[1]!.bytes} bytes, deflate ${blocks[0]!.bytes} bytes for the same frames`);
  assert.deepEqual(query(path, "SELECT value FROM meta WHERE key = 'schema_version'"), [{ value: String(SCHEMA_VERSION) }]);
  assert.equal(SCHEMA_VERSION, 4);
});
