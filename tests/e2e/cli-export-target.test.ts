/** `tapedeck export --out` refuses a symbolic link and a path leading to the database, with exit 1 and the reason. */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { readFileSync, symlinkSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('cli-export-target');
after(() => tmp.cleanup());

test('--out as a link to the database, or the database by another name, is refused and the database is untouched', async () => {
  const db = join(tmp.dir, 'ticks.db');
  const handle = new Database(db);
  handle.exec("CREATE TABLE levelone_equities (id INTEGER PRIMARY KEY, key TEXT, received_at INTEGER); INSERT INTO levelone_equities (key, received_at) VALUES ('=1+1', 1)");
  handle.close();
  const before = readFileSync(db);
  const link = join(tmp.dir, 'out.csv');
  symlinkSync(db, link);
  const csv = await runCli(['export', '--db', db, '--out', link, '--table', 'levelone_equities']);
  assert.equal(csv.code, 1);
  assert.match(csv.stderr, /tapedeck export: .*symbolic link/);
  const same = await runCli(['export', '--db', db, '--out', join(tmp.dir, '.', 'sub', '..', 'ticks.db')]);
  assert.equal(same.code, 1);
  assert.match(same.stderr, /tapedeck export: .*the database itself/);
  assert.deepEqual(readFileSync(db), before);
  // A plain file is written, with the formula neutralised.
  const ok = await runCli(['export', '--db', db, '--out', join(tmp.dir, 'plain.csv'), '--table', 'levelone_equities']);
  assert.equal(ok.code, 0, ok.stderr);
  assert.match(readFileSync(join(tmp.dir, 'plain.csv'), 'utf8'), /^1,'=1\+1,1\r$/m);
});
