/**
 * One writer per database and one app per user-data folder, with real processes: a second writer
 * is refused at once with one line and the first carries on; a writer killed with -9 leaves no
 * lock behind; a database deleted under `record` ends the run within seconds with the reason.
 */
import assert from 'node:assert/strict';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli, startCli, type CliRun } from '../helpers/cli.js';
import { archivedFrames, count } from '../helpers/db.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const tmp = tempDir('one-writer');
after(() => tmp.cleanup());

/** A `record` that runs until stopped; resolves once it says what it records. */
async function recording(db: string): Promise<CliRun> {
  const run = startCli(['record', '--db', db, '--duration', '120', '--rate', '2000']);
  await waitFor('the recording line', () => / recording .* into /.test(run.stderr()), 30_000);
  return run;
}

test('a second record on the same --db is refused with one line, and the first is unaffected', async () => {
  const db = join(tmp.dir, 'shared.db');
  const first = await recording(db);
  const second = await runCli(['record', '--db', db, '--duration', '5']);
  assert.equal(second.code, 1);
  assert.equal(second.stderr, `tapedeck record: ${db} is already being recorded by another Tapedeck (the app or 'tapedeck record'); one writer per database: stop that one or choose another file\n`);
  const before = archivedFrames(db).length;
  await waitFor('the first to keep recording', () => archivedFrames(db).length > before);
  first.child.kill('SIGINT');
  assert.equal((await first.exit).code, 0, first.stderr());
  assert.doesNotMatch(first.stderr(), /!/);
});

test('a writer killed with -9 leaves no lock: the next one records', async () => {
  const db = join(tmp.dir, 'killed.db');
  const first = await recording(db);
  await waitFor('a commit', () => archivedFrames(db).length > 0);
  first.child.kill('SIGKILL');
  await first.exit;
  const next = await runCli(['record', '--db', db, '--duration', '1']);
  assert.equal(next.code, 0, next.stderr);
  assert.match(next.stderr, /closed 1 session left open by a run that ended unexpectedly/);
});

test('a database deleted while recording ends the run within seconds with the reason, its contents saved', async () => {
  const db = join(tmp.dir, 'gone.db');
  const run = await recording(db);
  await waitFor('a commit', () => archivedFrames(db).length > 0);
  rmSync(db);
  const exited = await waitFor('record to exit', () => run.child.exitCode !== null, 10_000);
  assert.ok(exited);
  assert.equal(run.child.exitCode, 1);
  const last = run.stderr().trim().split('\n').at(-1)!;
  assert.match(last, /^tapedeck record: \S+gone\.db was deleted while recording; recording stopped and what it had recorded is saved in \S+gone\.recovered-[\d-]+\.db$/);
  const saved = /saved in (\S+)$/.exec(last)![1]!;
  assert.ok(archivedFrames(saved).length > 0);
});

test('a second serve on the same --user-data is refused with one line', async () => {
  const userData = join(tmp.dir, 'user-data');
  const first = startCli(['serve', '--port', '0', '--user-data', userData]);
  try {
    await waitFor('the first to listen', () => /listening on/.test(first.stdout()), 30_000);
    const second = await runCli(['serve', '--port', '0', '--user-data', userData]);
    assert.equal(second.code, 1);
    assert.equal(second.stderr, `tapedeck serve: ${userData} is in use by another Tapedeck (the app or 'tapedeck serve'); one at a time per user-data folder\n`);
    assert.equal(second.stdout, '');
  } finally {
    first.child.kill('SIGTERM');
    await first.exit;
  }
  // Once the first has gone, the folder is free again.
  const again = startCli(['serve', '--port', '0', '--user-data', userData]);
  await waitFor('the next to listen', () => /listening on/.test(again.stdout()), 30_000);
  assert.doesNotMatch(again.stderr(), /in use/);
  again.child.kill('SIGTERM');
  await again.exit;
});
