/**
 * Checks of the paths a command is given, before any work starts: each is a few system calls (one
 * per level of the path at most, never a loop that can spin, see fs/ensure-dir.ts) and fails with a
 * UserError that names the cause.
 */
import { statSync, type Stats } from 'node:fs';
import { dirname, resolve } from 'node:path';
import { describeFsError, ensureDir, PathError } from '../fs/ensure-dir.js';
import { UserError } from './errors.js';

/** What is at `path`; null when nothing is (ENOTDIR: a level above is a file, so nothing is here either). */
function stat(path: string): Stats | null {
  try {
    return statSync(path);
  } catch (err) {
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT' || code === 'ENOTDIR') return null;
    throw new UserError(`cannot use ${path}: ${describeFsError(err)}`);
  }
}

/** The deepest level of folder `dir` that exists, and what it is. */
function deepestExisting(dir: string): { path: string; stats: Stats | null } {
  let path = dir;
  let stats = stat(path);
  while (!stats && dirname(path) !== path) {
    path = dirname(path);
    stats = stat(path);
  }
  return { path, stats };
}

/** A database to read: it must exist and be a file. */
export function requireDatabaseFile(path: string): void {
  const s = stat(path);
  if (!s) throw new UserError(`${path} does not exist`);
  if (s.isDirectory()) throw new UserError(`${path} is a folder, not a database file`);
}

/** A file to create or replace in a folder that exists: not a folder itself. */
export function requireWritableFile(path: string, what = 'file'): void {
  if (stat(path)?.isDirectory()) throw new UserError(`${path} is a folder, not a ${what}`);
  const dir = dirname(resolve(path));
  const found = deepestExisting(dir);
  if (found.stats && !found.stats.isDirectory()) throw new UserError(`cannot create ${path}: ${found.path} is a file, not a folder`);
  if (found.path !== dir) throw new UserError(`cannot create ${path}: folder ${dir} does not exist`);
}

/** A file to write whose missing folders will be created: not a folder, and no file where a folder must be. */
export function requireFileTarget(path: string, what = 'file'): void {
  if (stat(path)?.isDirectory()) throw new UserError(`${path} is a folder, not a ${what}`);
  const found = deepestExisting(dirname(resolve(path)));
  if (found.stats && !found.stats.isDirectory()) throw new UserError(`cannot create ${what} ${path}: ${found.path} is a file, not a folder`);
}

/** A folder to keep files in, created if missing. */
export function requireFolder(path: string, flag: string): void {
  try {
    ensureDir(path);
  } catch (err) {
    if (err instanceof PathError) throw new UserError(`${flag} ${path}: ${err.message}`);
    throw err;
  }
}
