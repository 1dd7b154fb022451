/**
 * Where an export may be written. An export must never overwrite the database it copies (nor the
 * database's journal files): not by naming it, not through a symbolic link at the target (writers
 * follow links), not through a linked folder, not through a hard link, and not by a differently
 * cased name on a case-insensitive disk. Paths are compared after resolving links, and existing
 * files by device and inode as well.
 */
import { lstatSync, realpathSync, statSync, type Stats } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';

const JOURNALS = ['', '-wal', '-shm', '-journal'];

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw err;
  }
}

/** Throws a readable error when `destPath` is not a safe place for an export of `srcPath`. */
export function checkExportTarget(srcPath: string, destPath: string): void {
  const dest = resolve(destPath);
  const existing = lstatOrNull(dest);
  if (existing?.isSymbolicLink()) throw new Error(`${destPath} is a symbolic link; an export is never written through a link: choose another file name`);
  if (existing && !existing.isFile()) throw new Error(`${destPath} exists and is not a regular file`);
  let folder: string;
  try {
    folder = realpathSync(dirname(dest));
  } catch {
    throw new Error(`the folder of ${destPath} does not exist`);
  }
  const target = join(folder, basename(dest));
  const source = realpathSync(resolve(srcPath));
  for (const suffix of JOURNALS) {
    const file = source + suffix;
    const same = target === file || (existing !== null && sameFile(existing, lstatOrNull(file)));
    if (same) throw new Error(`${destPath} is the database${suffix ? `'s ${suffix.slice(1)} file` : ' itself'}: the export must go to another file`);
  }
}

function sameFile(a: Stats, b: Stats | null): boolean {
  return b !== null && a.dev === b.dev && a.ino === b.ino;
}
