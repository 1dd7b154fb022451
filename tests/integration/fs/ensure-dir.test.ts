/** ensureDir on real folders: creates what is missing, says why it cannot, and always returns. */
import assert from 'node:assert/strict';
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ensureDir, PathError } from '../../../electron/node/fs/ensure-dir.js';
import { tempDir } from '../../helpers/tmp.js';

const tmp = tempDir('ensure-dir');
after(() => tmp.cleanup());

test('creates every missing level, with the mode asked for, and accepts a folder that exists', () => {
  const deep = join(tmp.dir, 'a', 'b', 'c');
  ensureDir(deep, 0o700);
  assert.ok(statSync(deep).isDirectory());
  assert.equal(statSync(join(tmp.dir, 'a')).mode & 0o777, 0o700);
  ensureDir(deep);
  ensureDir(tmp.dir);
});

test('a file in the way, or a file system that takes no folders, is one line, not a hang', () => {
  const file = join(tmp.dir, 'plain');
  writeFileSync(file, 'x');
  assert.throws(() => ensureDir(file), (e) => e instanceof PathError && e.message === `${file} is a file, not a folder`);
  assert.throws(() => ensureDir(join(file, 'x', 'y')), (e) => e instanceof PathError && e.message === `${file} is a file, not a folder`);
  // Node's recursive mkdir spins for ever here (mkdir in /proc answers ENOENT).
  if (existsSync('/proc/self')) {
    assert.throws(() => ensureDir('/proc/tapedeck-test/x'), (e) => e instanceof PathError && e.message === 'cannot create folder /proc/tapedeck-test: /proc does not accept new folders');
  }
});
