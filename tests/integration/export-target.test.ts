/**
 * An export never overwrites the database it copies, whatever path leads there (real files, real
 * links): a link at the target is refused outright, and names, linked folders, hard links and the
 * journal files that resolve to the database are refused too. The database is unchanged after.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { createHash } from 'node:crypto';
import { existsSync, linkSync, mkdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { exportCsv, exportDatabase } from '../../electron/node/recorder/export.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('export-target');
after(() => tmp.cleanup());
let n = 0;

function makeDb(name = `db${n++}.db`): string {
  const dir = join(tmp.dir, `case${n++}`);
  mkdirSync(dir);
  const path = join(dir, name);
  const db = new Database(path);
  db.exec("CREATE TABLE levelone_equities (id INTEGER PRIMARY KEY, key TEXT, received_at INTEGER); INSERT INTO levelone_equities (key, received_at) VALUES ('AAPL', 1)");
  db.close();
  return path;
}

const digest = (path: string) => createHash('sha256').update(readFileSync(path)).digest('hex');
const csv = (db: string, out: string) => exportCsv(db, { table: 'levelone_equities', out });

test('a symbolic link at --out is refused, whatever it points to, and nothing is written through it', async () => {
  const db = makeDb();
  const before = digest(db);
  const toDb = join(tmp.dir, `to-db-${n++}.csv`);
  symlinkSync(db, toDb);
  await assert.rejects(csv(db, toDb), /symbolic link/);
  await assert.rejects(exportDatabase(db, toDb), /symbolic link/);
  const other = join(tmp.dir, `other-${n++}.txt`);
  writeFileSync(other, 'keep me');
  const toOther = join(tmp.dir, `to-other-${n++}.csv`);
  symlinkSync(other, toOther);
  await assert.rejects(csv(db, toOther), /symbolic link/);
  assert.equal(readFileSync(other, 'utf8'), 'keep me');
  const dangling = join(tmp.dir, `dangling-${n++}.csv`);
  const nowhere = join(tmp.dir, `nowhere-${n++}.csv`);
  symlinkSync(nowhere, dangling);
  await assert.rejects(csv(db, dangling), /symbolic link/);
  assert.equal(existsSync(nowhere), false, 'the link was not followed to create a file');
  assert.equal(digest(db), before);
});

test('paths that resolve to the database are refused: its name, .., a linked folder, a hard link, its journal', async () => {
  const db = makeDb();
  const before = digest(db);
  const folder = join(db, '..');
  const linkedFolder = join(tmp.dir, `linked-${n++}`);
  symlinkSync(folder, linkedFolder);
  const hard = join(tmp.dir, `hard-${n++}.db`);
  linkSync(db, hard);
  const name = db.split('/').pop()!;
  for (const out of [db, join(folder, 'x', '..', name), join(linkedFolder, name), hard]) {
    await assert.rejects(csv(db, out), /the database itself/, out);
    await assert.rejects(exportDatabase(db, out), /the database itself/, out);
  }
  for (const suffix of ['-wal', '-shm', '-journal']) {
    await assert.rejects(csv(db, db + suffix), new RegExp(`${suffix.slice(1)} file`), suffix);
    // Not there yet, reached through the linked folder: only the resolved path can tell.
    await assert.rejects(csv(db, join(linkedFolder, name + suffix)), new RegExp(`${suffix.slice(1)} file`), `linked ${suffix}`);
    assert.equal(existsSync(db + suffix), false);
  }
  assert.equal(digest(db), before);
});

test("the sqlite export's partial file may not be the database either", async () => {
  const db = makeDb('x.db.partial');
  const before = digest(db);
  await assert.rejects(exportDatabase(db, db.replace(/\.partial$/, '')), /the database itself/);
  assert.equal(digest(db), before);
});

test('a plain new file is written', async () => {
  const db = makeDb();
  const out = join(tmp.dir, `plain-${n++}.csv`);
  assert.deepEqual(await csv(db, out), { rows: 1 });
  assert.match(readFileSync(out, 'utf8'), /AAPL/);
  const copy = join(tmp.dir, `plain-${n++}.db`);
  await exportDatabase(db, copy);
  assert.ok(existsSync(copy));
});
