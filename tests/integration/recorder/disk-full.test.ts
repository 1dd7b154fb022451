/**
 * A disk that really fills, under a recorder writing from its writer thread: a small tmpfs, a
 * filler file that takes the rest of it, then the filler removed. SQLite answers SQLITE_FULL
 * ("database or disk is full"); the free-space guard, measuring the tmpfs itself (statfs), pauses
 * before that. The command-line lines for both are in e2e/cli-record-disk-full.test.ts.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { ManagedRecorder } from '../../../electron/node/recorder/managed-recorder.js';
import { Recorder } from '../../../electron/node/recorder/recorder.js';
import { archivedFrames, count, query } from '../../helpers/db.js';
import { feedRecorder } from '../../helpers/recording-feed.js';
import { mountTmpfs } from '../../helpers/tmpfs.js';
import { waitFor } from '../../helpers/wait.js';

const MB = 1024 * 1024;
const feedIndex = (text: string | null) => Number(/^\{"i":(\d+)\}$/.exec(text ?? '')?.[1]);

test('a full disk pauses recording with one line, loses nothing committed or held, and resumes with one line when space returns', async (t) => {
  const disk = mountTmpfs(t, 4);
  if (!disk) return;
  const path = join(disk.dir, 'ticks.db');
  const errors: string[] = [];
  const notices: string[] = [];
  const r = await Recorder.openThreaded(path, { onError: (e) => errors.push(e.message), onNotice: (m) => notices.push(m) });
  const feed = feedRecorder(r);
  try {
    await waitFor('commits', () => r.stats().commits > 3);
    const filler = disk.fill();
    await waitFor('the disk-full error', () => errors.length > 0);
    // Commits fail from here on, so what is in the file now is what was committed before the fault.
    const committed = archivedFrames(path);
    assert.ok(committed.length > 0);
    assert.equal(committed.length, r.stats().frames);
    // The fault itself, held long enough for the retries' backoff (100, 200, 400 ms…) to fail again.
    await new Promise((resolve) => setTimeout(resolve, 1000));
    assert.equal(disk.free(), 0, 'the disk is still full');
    filler.remove();
    await waitFor('commits to resume', () => notices.length > 0);
    feed.stop();
    await r.close();

    assert.deepEqual(errors, ['recording paused, will retry: database or disk is full']);
    assert.equal(notices.length, 1);
    const resumed = /^recording resumed: the database was written again after (\d+) failed attempts over [\d.]+ s; nothing was lost$/.exec(notices[0]!);
    assert.ok(resumed, notices[0]);
    assert.ok(Number(resumed[1]) >= 2, `${notices[0]}: told once for several failed attempts`);

    assert.deepEqual(query(path, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
    const frames = archivedFrames(path);
    assert.deepEqual(frames.slice(0, committed.length), committed, 'what was committed before the fault is still there');
    // Every frame sent, once, in order, under consecutive ids: the held batch was written once.
    const sent = feed.sent();
    assert.deepEqual(frames.map((f) => feedIndex(f.text)), Array.from({ length: sent }, (_, i) => i));
    assert.deepEqual(frames.map((f) => f.id), Array.from({ length: sent }, (_, i) => i + 1));
    assert.equal(count(path, 'SELECT count(*) AS n FROM levelone_equities'), sent);
  } finally {
    feed.stop();
    await r.close();
  }
});

test('the free-space guard measures the real disk: it pauses before the disk is full and resumes when space returns', async (t) => {
  const disk = mountTmpfs(t, 32);
  if (!disk) return;
  const path = join(disk.dir, 'ticks.db');
  const errors: string[] = [];
  const notices: string[] = [];
  let committedFrames = 0;
  const m = await ManagedRecorder.open({
    path,
    policy: { rotate: 'none', retainDays: null, minFreeMb: 16, typedRows: true },
    checkEveryMs: 50,
    onError: (e) => errors.push(e.message),
    onNotice: (l) => notices.push(l),
    onCommit: (c) => (committedFrames += c.frames),
  });
  const feed = feedRecorder(m);
  try {
    await waitFor('commits', () => committedFrames > 100);
    const filler = disk.fill(8 * MB);
    const paused = await waitFor('the guard to pause', () => notices.find((l) => l.startsWith('recording paused')));
    assert.equal(m.paused, true);
    const freeMb = Number(/^recording paused: (\d+) MB free on (.*), below the 16 MB minimum; it resumes when space returns$/.exec(paused)?.[1]);
    assert.ok(freeMb > 0 && freeMb < 16, paused);
    assert.ok(paused.includes(` on ${disk.dir},`), paused);
    // Paused: nothing is held or written, so the disk the guard protects keeps its space.
    const atPause = committedFrames;
    filler.remove();
    const resumed = await waitFor('the guard to resume', () => notices.find((l) => l.startsWith('recording resumed')));
    assert.match(resumed, new RegExp(`^recording resumed: \\d+ MB free on ${disk.dir}$`));
    assert.ok(Number(/(\d+) MB/.exec(resumed)![1]) >= 16, resumed);
    await waitFor('frames recorded after the resume', () => committedFrames > atPause + 100);
    feed.stop();
    await m.close();

    assert.deepEqual(errors, [], 'the guard paused before SQLite ran out of space');
    assert.deepEqual(notices, [paused, resumed]);
    assert.deepEqual(query(path, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
    const sessions = query<{ id: number; started_at: number; ended_at: number | null; end_reason: string | null }>(path, 'SELECT id, started_at, ended_at, end_reason FROM sessions ORDER BY id');
    assert.equal(sessions.length, 2);
    assert.equal(sessions[0]!.end_reason, 'paused: low disk space');
    const [before, after] = sessions as [(typeof sessions)[0], (typeof sessions)[0]];
    assert.ok(after.started_at >= before.ended_at!);
    // Frames in order and once each; none of those received while paused; each in its session.
    const frames = archivedFrames(path);
    const indexes = frames.map((f) => feedIndex(f.text));
    assert.deepEqual(indexes, [...new Set(indexes)].sort((a, b) => a - b));
    assert.ok(indexes.at(-1)! + 1 > frames.length, 'frames received while paused were left out');
    for (const f of frames) {
      if (f.sessionId === before.id) assert.ok(f.receivedAt <= before.ended_at!);
      else assert.ok(f.sessionId === after.id && f.receivedAt >= after.started_at, JSON.stringify(f));
    }
    assert.ok(frames.some((f) => f.sessionId === after.id));
  } finally {
    feed.stop();
    await m.close();
  }
});
