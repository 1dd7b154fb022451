/**
 * The database export on real files: it finishes while a recorder commits every few ms, the copy is
 * consistent, it refuses an existing target unless told to replace it, and whatever way it ends it
 * leaves nothing but the copy (no partial file, no -wal/-shm beside the source).
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { existsSync, readdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { exportDatabase, ExportInterrupted, partialPathOf } from '../../../electron/node/recorder/export.js';
import { Recorder } from '../../../electron/node/recorder/recorder.js';
import { archivedFrames, count } from '../../helpers/db.js';
import { framesOf } from '../../../electron/node/recorder/frame-reader.js';
import { feedRecorder } from '../../helpers/recording-feed.js';
import { tempDir } from '../../helpers/tmp.js';
import { waitFor } from '../../helpers/wait.js';

const tmp = tempDir('export');
after(() => tmp.cleanup());

/** A Tapedeck database of about `mb` MB: its schema from a recorder, the bulk as archived frames. */
function bigDatabase(name: string, mb: number): string {
  const path = join(tmp.dir, name);
  Recorder.open(path).close();
  const db = new Database(path);
  const rows = mb * 250; // ~4 KB of text each
  db.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
     INSERT INTO frames (received_at, text, flags) SELECT i, hex(randomblob(2000)), 0 FROM n`,
  ).run(rows);
  db.close();
  return path;
}

/** A hang is the failure this guards against: it fails the test instead of stalling the run. */
function within<T>(ms: number, what: string, p: Promise<T>): Promise<T> {
  let timer: NodeJS.Timeout | undefined;
  return Promise.race([
    p.finally(() => clearTimeout(timer)),
    new Promise<never>((_, reject) => (timer = setTimeout(() => reject(new Error(`${what} did not finish within ${ms} ms`)), ms))),
  ]);
}

test('an export of a database being written every few ms finishes, and the copy is consistent', async () => {
  const path = bigDatabase('live.db', 40);
  // Commits every ~5 ms: the old step-wise backup restarted on each and never finished.
  const r = await Recorder.openThreaded(path, { flushIntervalMs: 5 });
  const feed = feedRecorder(r);
  await waitFor('the recorder to commit', () => r.stats().commits > 5);
  const before = count(path, 'SELECT count(*) AS n FROM levelone_equities');
  const copy = join(tmp.dir, 'live-copy.db');
  let steps = 0;
  try {
    await within(120_000, 'the export', exportDatabase(path, copy, { onProgress: () => steps++ }));
  } catch (err) {
    feed.stop();
    await r.close();
    throw err;
  }
  const commitsAtEnd = r.stats().commits;
  await waitFor('more commits after the export', () => r.stats().commits > commitsAtEnd + 5);
  feed.stop();
  await r.close();

  assert.ok(steps > 3, `the copy took ${steps} steps, so commits landed between them`);
  assert.deepEqual(readdirSync(tmp.dir).filter((f) => f.startsWith('live-copy')), ['live-copy.db']);
  const db = new Database(copy, { readonly: true });
  try {
    assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
    const deltas = (db.prepare('SELECT count(*) AS n FROM levelone_equities').get() as { n: number }).n;
    assert.ok(deltas >= before, `${deltas} rows copied, ${before} before the export`);
    assert.ok(deltas < count(path, 'SELECT count(*) AS n FROM levelone_equities'), 'the source kept growing after the copy');
    // One snapshot: every copied delta row's frame is in the copy, and every fed frame's row too.
    const frames = [...framesOf(db)];
    const frameIds = new Set(frames.map((f) => f.id));
    const orphans = (db.prepare('SELECT frame_id FROM levelone_equities').pluck().all() as number[]).filter((id) => !frameIds.has(id));
    assert.equal(orphans.length, 0);
    assert.equal(frames.filter((f) => f.text?.startsWith('{"i":')).length, deltas);
  } finally {
    db.close();
  }
  // A single file: opening the copy makes no -wal or -shm beside it.
  assert.deepEqual(readdirSync(tmp.dir).filter((f) => f.startsWith('live-copy')), ['live-copy.db']);
});

test('an existing target is refused unless the export may replace it', async () => {
  const path = bigDatabase('small.db', 1);
  const copy = join(tmp.dir, 'taken.db');
  writeFileSync(copy, 'keep me');
  await assert.rejects(exportDatabase(path, copy), /taken\.db already exists/);
  assert.equal(existsSync(partialPathOf(copy)), false);
  await exportDatabase(path, copy, { overwrite: true });
  assert.equal(archivedFrames(copy).length, 250);
});

test('an interrupted export leaves nothing, and a killed one leaves files the next export removes', async () => {
  const path = bigDatabase('cut.db', 20);
  const copy = join(tmp.dir, 'cut-copy.db');
  const interrupt = new AbortController();
  await assert.rejects(
    exportDatabase(path, copy, { signal: interrupt.signal, onProgress: () => interrupt.abort() }),
    ExportInterrupted,
  );
  assert.deepEqual(readdirSync(tmp.dir).filter((f) => f.startsWith('cut-copy')), []);

  // What kill -9 in mid-copy leaves: the partial file and its journal.
  writeFileSync(partialPathOf(copy), 'half a copy');
  writeFileSync(`${partialPathOf(copy)}-journal`, 'its journal');
  await exportDatabase(path, copy);
  assert.deepEqual(readdirSync(tmp.dir).filter((f) => f.startsWith('cut-copy')), ['cut-copy.db']);
});

test('with no recorder running, the export leaves no -wal or -shm file beside the source', async () => {
  const path = bigDatabase('quiet.db', 1);
  assert.equal(existsSync(`${path}-wal`), false);
  await exportDatabase(path, join(tmp.dir, 'quiet-copy.db'));
  assert.deepEqual(readdirSync(tmp.dir).filter((f) => f.startsWith('quiet.db')).sort(), ['quiet.db', 'quiet.db.lock']);
});
