/**
 * `tapedeck record --provider demo` on a small real tmpfs that fills up: what the user reads on
 * stderr when SQLite answers "database or disk is full", and when --min-free-mb pauses first
 * (measured on the tmpfs itself). The recorder's frame-by-frame accounting of the same faults is
 * in integration/recorder/disk-full.test.ts.
 */
import assert from 'node:assert/strict';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { startCli, type CliRun } from '../helpers/cli.js';
import { archivedFrames, query } from '../helpers/db.js';
import { mountTmpfs, type Filler } from '../helpers/tmpfs.js';
import { waitFor } from '../helpers/wait.js';

const MB = 1024 * 1024;

/** Frames committed so far: 0 before the file, or its schema, exists. */
function framesIn(db: string): number {
  if (!existsSync(db)) return 0;
  try {
    return archivedFrames(db).length;
  } catch (err) {
    if (/^no such table/.test((err as Error).message)) return 0;
    throw err;
  }
}

/** What the user reads, without each line's leading local time. */
const eventLines = (run: CliRun) =>
  run
    .stderr()
    .split('\n')
    .filter((l) => l !== '')
    .map((l) => l.slice(24));

/** SIGTERM, as a user's Ctrl-C would; the run must end by itself with exit 0. */
async function stop(run: CliRun): Promise<number | null> {
  run.child.kill('SIGTERM');
  return (await run.exit).code;
}

test('record on a disk that fills: one line when recording pauses, one with the failed attempts when it resumes, the file whole', async (t) => {
  const disk = mountTmpfs(t, 4);
  if (!disk) return;
  const db = join(disk.dir, 'ticks.db');
  const run = startCli(['record', '--db', db, '--min-free-mb', '0', '--rate', '1000']);
  try {
    await waitFor('frames committed', () => framesIn(db) > 50);
    const filler = disk.fill();
    await waitFor('the paused line', () => eventLines(run).some((l) => l.startsWith('! recorder:')));
    // Commits fail from here on: what the file holds now was committed before the fault.
    const committed = archivedFrames(db);
    // The fault itself, held long enough for several retries (backoff from 100 ms).
    await new Promise((resolve) => setTimeout(resolve, 1000));
    filler.remove();
    await waitFor('the resumed line', () => eventLines(run).some((l) => l.startsWith('recording resumed')));
    await waitFor('frames committed after the fault', () => framesIn(db) > committed.length + 50);
    assert.equal(await stop(run), 0, run.stderr());

    const lines = eventLines(run);
    assert.deepEqual(
      lines.filter((l) => /paused|resumed|recorder/.test(l) && !l.startsWith('summary')),
      [
        '! recorder: recording paused, will retry: database or disk is full',
        lines.find((l) => /^recording resumed: the database was written again after ([2-9]|\d\d+) failed attempts over [\d.]+ s; nothing was lost$/.test(l)),
      ],
      run.stderr(),
    );
    assert.match(lines.at(-1)!, /^summary: .*, problems: recorder 1, /);

    assert.deepEqual(query(db, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
    const frames = archivedFrames(db);
    assert.deepEqual(frames.slice(0, committed.length), committed, 'what was committed before the fault is still there');
    assert.deepEqual(
      frames.map((f) => f.id),
      Array.from({ length: frames.length }, (_, i) => i + 1),
      'consecutive ids',
    );
    assert.equal(new Set(frames.map((f) => f.text)).size, frames.length, 'no frame written twice');
  } finally {
    if (run.child.exitCode === null && run.child.signalCode === null) await stop(run);
  }
});

test('record --min-free-mb on the real disk: pauses with its line before the disk is full, resumes when space returns', async (t) => {
  const disk = mountTmpfs(t, 32);
  if (!disk) return;
  const db = join(disk.dir, 'ticks.db');
  const run = startCli(['record', '--db', db, '--min-free-mb', '16', '--rate', '1000']);
  try {
    await waitFor('frames committed', () => framesIn(db) > 50);
    const filler = disk.fill(8 * MB);
    // The guard checks every 5 s.
    const paused = await waitFor('the paused line', () => eventLines(run).find((l) => l.startsWith('recording paused')), 20_000);
    assert.match(paused, new RegExp(`^recording paused: (\\d) MB free on ${disk.dir}, below the 16 MB minimum; it resumes when space returns$`));
    assert.ok(disk.free() > 0, 'paused before the disk was full');
    filler.remove();
    const resumed = await waitFor('the resumed line', () => eventLines(run).find((l) => l.startsWith('recording resumed')), 20_000);
    assert.match(resumed, new RegExp(`^recording resumed: (\\d\\d) MB free on ${disk.dir}$`));
    const atResume = framesIn(db);
    await waitFor('frames committed after the resume', () => framesIn(db) > atResume + 50);
    assert.equal(await stop(run), 0, run.stderr());

    assert.deepEqual(eventLines(run).filter((l) => l.startsWith('!')), [], 'SQLite never ran out of space');
    assert.deepEqual(query(db, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
    assert.deepEqual(
      query(db, 'SELECT end_reason FROM sessions ORDER BY id').map((s) => (s as { end_reason: string }).end_reason),
      ['paused: low disk space', 'logged out'],
    );
  } finally {
    if (run.child.exitCode === null && run.child.signalCode === null) await stop(run);
  }
});

test('record stopped while the disk is still full: exit 1 with the reason, what was committed stays, the next run goes on from it', async (t) => {
  const disk = mountTmpfs(t, 4);
  if (!disk) return;
  const db = join(disk.dir, 'ticks.db');
  const run = startCli(['record', '--db', db, '--min-free-mb', '0', '--rate', '1000']);
  let filler: Filler;
  try {
    await waitFor('frames committed', () => framesIn(db) > 50);
    filler = disk.fill();
    await waitFor('the paused line', () => eventLines(run).some((l) => l.startsWith('! recorder:')));
    const committed = archivedFrames(db);
    // Held rows cannot be written: the run must not end as if they had been.
    assert.equal(await stop(run), 1, run.stderr());
    assert.ok(eventLines(run).includes('! recorder: the last batch could not be written: database or disk is full'), run.stderr());
    assert.match(run.stderr(), /\ntapedeck record: error while stopping: the last batch could not be written: database or disk is full\n$/);
    assert.deepEqual(query(db, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
    assert.deepEqual(archivedFrames(db), committed);
  } finally {
    if (run.child.exitCode === null && run.child.signalCode === null) await stop(run);
  }
  filler.remove();
  const next = startCli(['record', '--db', db, '--min-free-mb', '0', '--duration', '1']);
  assert.equal((await next.exit).code, 0, next.stderr());
  assert.ok(eventLines(next).includes('closed 1 session left open by a run that ended unexpectedly'), next.stderr());
  const frames = archivedFrames(db);
  assert.ok(frames.length > 0);
  assert.deepEqual(
    frames.map((f) => f.id),
    Array.from({ length: frames.length }, (_, i) => i + 1),
  );
  assert.deepEqual(query(db, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
});
