/** writeFileAtomic on a real folder: exact mode, no symlink followed or replaced, no temp file left. */
import assert from 'node:assert/strict';
import { lstatSync, mkdirSync, mkdtempSync, readdirSync, readFileSync, readlinkSync, rmSync, statSync, symlinkSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { writeFileAtomic } from '../../../electron/node/fs/atomic-write.js';

const root = mkdtempSync(join(tmpdir(), 'tapedeck-atomic-'));
after(() => rmSync(root, { recursive: true, force: true }));
let n = 0;
/** A fresh folder per test, so its listing shows exactly what the write left behind. */
const folder = () => {
  const dir = join(root, `t${n++}`);
  mkdirSync(dir);
  return dir;
};

test('the file gets exactly the mode asked for, new or replacing a looser one, whatever the umask', () => {
  const dir = folder();
  const fresh = join(dir, 'fresh.json');
  writeFileAtomic(fresh, '{"a":1}', { mode: 0o600 });
  assert.equal(statSync(fresh).mode & 0o777, 0o600);
  assert.equal(readFileSync(fresh, 'utf8'), '{"a":1}');

  const loose = join(dir, 'loose.json');
  writeFileSync(loose, 'old', { mode: 0o644 });
  const previous = process.umask(0o000);
  try {
    writeFileAtomic(loose, Buffer.from('new'), { mode: 0o600 });
  } finally {
    process.umask(previous);
  }
  assert.equal(statSync(loose).mode & 0o777, 0o600);
  assert.equal(readFileSync(loose, 'utf8'), 'new');

  // Set on the descriptor, the mode is exact even where a strict umask would have masked it.
  const shared = join(dir, 'shared.json');
  const strict = process.umask(0o077);
  try {
    writeFileAtomic(shared, '{}', { mode: 0o644 });
  } finally {
    process.umask(strict);
  }
  assert.equal(statSync(shared).mode & 0o777, 0o644);
  assert.deepEqual(readdirSync(dir).sort(), ['fresh.json', 'loose.json', 'shared.json']);
});

test('a symlink planted at the target is refused; its destination and the link stay as they were', () => {
  const dir = folder();
  const victim = join(dir, 'victim.txt');
  writeFileSync(victim, 'precious', { mode: 0o644 });
  const target = join(dir, 'token.json');
  symlinkSync(victim, target);
  assert.throws(() => writeFileAtomic(target, 'attacker-visible secret', { mode: 0o600 }), /refusing to write .*token\.json: it is a symbolic link/);
  assert.equal(readFileSync(victim, 'utf8'), 'precious');
  assert.equal(statSync(victim).mode & 0o777, 0o644);
  assert.ok(lstatSync(target).isSymbolicLink());
  assert.equal(readlinkSync(target), victim);
  assert.deepEqual(readdirSync(dir).sort(), ['token.json', 'victim.txt']);
});

test('a file or symlink named like an old temp file (path.pid.tmp) is neither followed nor touched', () => {
  const dir = folder();
  const victim = join(dir, 'victim.txt');
  writeFileSync(victim, 'precious');
  const target = join(dir, 'settings.json');
  const oldTempLink = `${target}.${process.pid}.tmp`;
  symlinkSync(victim, oldTempLink);
  const oldTempFile = join(dir, `settings.json.1.tmp`);
  writeFileSync(oldTempFile, 'left over');
  writeFileAtomic(target, 'fresh', { mode: 0o600 });
  assert.equal(readFileSync(target, 'utf8'), 'fresh');
  assert.equal(readFileSync(victim, 'utf8'), 'precious');
  assert.equal(readlinkSync(oldTempLink), victim);
  assert.equal(readFileSync(oldTempFile, 'utf8'), 'left over');
  assert.deepEqual(readdirSync(dir).sort(), ['settings.json', 'settings.json.1.tmp', `settings.json.${process.pid}.tmp`, 'victim.txt'].sort());
});

test('no temp file is left after a success, after a failed write, or after a failed rename', () => {
  const dir = folder();
  const target = join(dir, 'data.bin');
  writeFileAtomic(target, 'one');
  writeFileAtomic(target, 'two');
  assert.deepEqual(readdirSync(dir), ['data.bin']);
  assert.equal(statSync(target).mode & 0o777, 0o600, 'the default mode is 0600');

  // The write itself fails (data of the wrong kind): the old content stays, the temp goes.
  assert.throws(() => writeFileAtomic(target, 42 as unknown as string));
  assert.equal(readFileSync(target, 'utf8'), 'two');
  assert.deepEqual(readdirSync(dir), ['data.bin']);

  // The rename fails (a non-empty folder is in the way): nothing is left behind.
  const blocked = join(dir, 'blocked');
  mkdirSync(blocked);
  writeFileSync(join(blocked, 'inside'), 'x');
  assert.throws(() => writeFileAtomic(blocked, 'content'), /EISDIR|ENOTEMPTY|EEXIST|EPERM/);
  assert.deepEqual(readdirSync(dir).sort(), ['blocked', 'data.bin']);
  assert.deepEqual(readdirSync(blocked), ['inside']);
});
