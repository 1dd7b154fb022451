/** Browser mode's exports folder on real files and a real HTTP download: nothing stays behind. */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, readdirSync, writeFileSync } from 'node:fs';
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { sendExport } from '../../electron/node/web/export-downloads.js';
import { ExportFolder } from '../../electron/node/web/export-folder.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const tmp = tempDir('export-folder');
after(() => tmp.cleanup());

test('what an earlier run left is removed at start, and what is left at close goes too', () => {
  const dir = join(tmp.dir, 'leftovers');
  mkdirSync(dir);
  writeFileSync(join(dir, 'old.db'), 'x');
  writeFileSync(join(dir, 'old.db.partial'), 'x');
  const folder = new ExportFolder(dir);
  assert.deepEqual(readdirSync(dir), []);
  writeFileSync(join(dir, 'new.csv'), 'x');
  folder.offered('new.csv');
  folder.close();
  assert.deepEqual(readdirSync(dir), []);
});

test('an export never downloaded is removed after the time limit', async () => {
  const dir = join(tmp.dir, 'expiring');
  const folder = new ExportFolder(dir, 200);
  writeFileSync(join(dir, 'a.db'), 'x');
  folder.offered('a.db');
  await waitFor('the export to expire', () => !existsSync(join(dir, 'a.db')));
  folder.close();
});

test('an export is removed once downloaded completely', async () => {
  const dir = join(tmp.dir, 'downloads');
  const folder = new ExportFolder(dir);
  const body = 'a,b\r\n'.repeat(100_000);
  writeFileSync(join(dir, 'rows.csv'), body);
  folder.offered('rows.csv');
  const server = createServer((req, res) => void sendExport(res, dir, req.url!.slice(1), {}, (name) => folder.downloaded(name)));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const res = await fetch(`http://127.0.0.1:${(server.address() as AddressInfo).port}/rows.csv`);
    assert.equal(await res.text(), body);
    await waitFor('the downloaded export to go', () => !existsSync(join(dir, 'rows.csv')));
  } finally {
    server.close();
    folder.close();
  }
});
