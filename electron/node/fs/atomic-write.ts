/**
 * Replaces a file so that a crash at any moment leaves either the old content or the new, never a
 * truncated file, and so that nobody else's file can be written through it (token files and
 * secrets go through here).
 *
 * - The temp file gets a random name in the target's folder (a rename is atomic only within one
 *   file system) and is created with 'wx' (O_CREAT | O_EXCL): a file or symlink already there,
 *   planted or left over, makes the open fail instead of being followed or overwritten.
 * - The mode is set on the open descriptor (fchmod), so umask does not weaken it and no other
 *   process can open the file between its creation and the chmod of a path.
 * - The data is fsynced before the rename and the folder after it, so the rename never reaches the
 *   disk ahead of the content, and the new name survives a power loss.
 * - A symlink at the target is refused: the caller asked for a file there, and replacing a link
 *   someone else placed is as wrong as following it. (rename() itself never follows a link.)
 * - On any failure the temp file is removed; the target is untouched unless the rename happened.
 */
import { randomBytes } from 'node:crypto';
import { closeSync, fchmodSync, fsyncSync, lstatSync, openSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { basename, dirname, join } from 'node:path';

export interface AtomicWriteOptions {
  /** Permission bits of the new file, exactly (not masked by umask). Default 0o600. */
  mode?: number;
}

export function writeFileAtomic(path: string, data: string | Uint8Array, opts: AtomicWriteOptions = {}): void {
  refuseSymlink(path);
  const dir = dirname(path);
  const temp = join(dir, `.${basename(path)}.${randomBytes(8).toString('hex')}.tmp`);
  // Until the open succeeds the path may be someone else's file: only a temp we created is removed.
  let fd: number | null = null;
  let created = false;
  try {
    fd = openSync(temp, 'wx', 0o600);
    created = true;
    fchmodSync(fd, opts.mode ?? 0o600);
    writeFileSync(fd, data);
    fsyncSync(fd);
    closeSync(fd);
    fd = null;
    renameSync(temp, path);
    created = false;
  } catch (err) {
    if (fd !== null) closeQuietly(fd);
    if (created) unlinkQuietly(temp);
    throw err;
  }
  fsyncFolder(dir);
}

function refuseSymlink(path: string): void {
  let isLink = false;
  try {
    isLink = lstatSync(path).isSymbolicLink();
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code !== 'ENOENT') throw err;
  }
  if (isLink) throw new Error(`refusing to write ${path}: it is a symbolic link, not a file`);
}

function fsyncFolder(dir: string): void {
  // Windows cannot open a folder for fsync, and NTFS journals the rename itself.
  if (process.platform === 'win32') return;
  const fd = openSync(dir, 'r');
  try {
    fsyncSync(fd);
  } finally {
    closeSync(fd);
  }
}

function closeQuietly(fd: number): void {
  try {
    closeSync(fd);
  } catch {
    // Already failing: the first error is the one to report.
  }
}

function unlinkQuietly(path: string): void {
  try {
    unlinkSync(path);
  } catch {
    // Already failing: the first error is the one to report.
  }
}
