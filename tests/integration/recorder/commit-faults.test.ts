/**
 * Faults under a recorder writing a real file from its writer thread: a lock another connection
 * holds past busy_timeout, more held rows than the bound, the file deleted or replaced.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { existsSync, readdirSync, renameSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Recorder, RecordingStoppedError } from '../../../electron/node/recorder/recorder.js';
import { archivedFrames, count, query } from '../../helpers/db.js';
import { feedRecorder } from '../../helpers/recording-feed.js';
import { tempDir } from '../../helpers/tmp.js';
import { waitFor } from '../../helpers/wait.js';

const tmp = tempDir('faults');
after(() => tmp.cleanup());

/** Another program holds the write lock for `ms` (the fault itself, not a wait for a condition). */
async function holdWriteLock(path: string, ms: number): Promise<void> {
  const other = new Database(path, { timeout: 5000 });
  other.exec('BEGIN IMMEDIATE');
  await new Promise((r) => setTimeout(r, ms));
  other.exec('COMMIT');
  other.close();
}

test('a lock held past busy_timeout is said once when it starts and once when it clears, and every frame lands once', async () => {
  const path = join(tmp.dir, 'locked.db');
  const errors: string[] = [];
  const notices: string[] = [];
  const r = await Recorder.openThreaded(path, { busyTimeoutMs: 100, onError: (e) => errors.push(e.message), onNotice: (m) => notices.push(m) });
  const feed = feedRecorder(r);
  await waitFor('commits', () => r.stats().commits > 3);
  await holdWriteLock(path, 1500);
  await waitFor('commits to resume', () => notices.length > 0);
  feed.stop();
  await r.close();

  assert.equal(errors.length, 1, errors.join('\n'));
  assert.match(errors[0]!, /^recording paused, will retry: database is locked/);
  assert.equal(notices.length, 1);
  const attempts = Number(/after (\d+) failed attempts? over/.exec(notices[0]!)?.[1]);
  // 100 ms busy_timeout and backoff from 100 ms: a 1.5 s lock fails a handful of times, not every 50 ms.
  assert.ok(attempts >= 2 && attempts <= 12, notices[0]);
  assert.match(notices[0]!, /nothing was lost/);
  const sent = feed.sent();
  assert.equal(archivedFrames(path).length, sent);
  assert.equal(new Set(archivedFrames(path).map((f) => f.text)).size, sent);
  assert.equal(count(path, 'SELECT count(*) AS n FROM levelone_equities'), sent);
});

test('a lock held for less than busy_timeout is waited out: no error, every frame once', async () => {
  const path = join(tmp.dir, 'brief.db');
  const errors: string[] = [];
  const r = await Recorder.openThreaded(path, { onError: (e) => errors.push(e.message) });
  const feed = feedRecorder(r);
  await waitFor('commits', () => r.stats().commits > 3);
  const before = r.stats().commits;
  await holdWriteLock(path, 300);
  await waitFor('commits after the lock', () => r.stats().commits > before + 3);
  feed.stop();
  await r.close();
  assert.deepEqual(errors, []);
  assert.equal(archivedFrames(path).length, feed.sent());
});

test('past the bound on held rows new frames are left out, counted, and the rest written once in order', async () => {
  const path = join(tmp.dir, 'bounded.db');
  const notices: string[] = [];
  const r = await Recorder.openThreaded(path, { busyTimeoutMs: 50, maxHeldRows: 200, onNotice: (m) => notices.push(m) });
  const feed = feedRecorder(r);
  await waitFor('commits', () => r.stats().commits > 3);
  await holdWriteLock(path, 1000);
  await waitFor('commits to resume', () => notices.length > 0);
  feed.stop();
  await r.close();

  const dropped = Number(/; ([\d,]+) frames received while 200 rows waited were not recorded/.exec(notices[0]!)?.[1]?.replace(/,/g, ''));
  assert.ok(dropped > 0, notices[0]);
  const frames = archivedFrames(path).map((f) => Number(/\d+/.exec(f.text ?? '')![0]));
  assert.equal(frames.length + dropped, feed.sent());
  assert.deepEqual(frames, [...frames].sort((a, b) => a - b), 'in order');
  assert.equal(new Set(frames).size, frames.length, 'each once');
  assert.equal(count(path, 'SELECT count(*) AS n FROM levelone_equities'), frames.length);
});

for (const change of ['deleted', 'replaced'] as const) {
  test(`a database ${change} while recording stops it within seconds, with what it had saved`, async () => {
    const path = join(tmp.dir, `${change}.db`);
    const errors: Error[] = [];
    const r = await Recorder.openThreaded(path, { onError: (e) => errors.push(e) });
    const feed = feedRecorder(r);
    await waitFor('commits', () => r.stats().commits > 3);
    if (change === 'deleted') rmSync(path);
    else {
      const other = join(tmp.dir, 'other.db');
      new Database(other).close();
      renameSync(other, path);
    }
    const stopped = await waitFor('recording to stop', () => errors.find((e) => e instanceof RecordingStoppedError), 5000);
    feed.stop();
    await r.close();
    const saved = new RegExp(`${change}\\.db was ${change} while recording; recording stopped and what it had recorded is saved in (.*${change}\\.recovered-[\\d-]+\\.db)$`).exec(stopped.message);
    assert.ok(saved, stopped.message);
    assert.equal(errors.length, 1);
    assert.ok(existsSync(saved[1]!));
    assert.equal(query<{ integrity_check: string }>(saved[1]!, 'PRAGMA integrity_check')[0]?.integrity_check, 'ok');
    assert.ok(archivedFrames(saved[1]!).length > 0);
    if (change === 'replaced') assert.equal(count(path, "SELECT count(*) AS n FROM sqlite_master WHERE name = 'frames'"), 0, 'nothing written into the new file');
    assert.ok(readdirSync(tmp.dir).length > 0);
  });
}
