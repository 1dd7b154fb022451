/**
 * Makes sure a folder exists, creating what is missing one level at a time, and says in one line
 * why it cannot. Node's own `mkdirSync(path, { recursive: true })` spins for ever on paths such as
 * /proc/x (mkdir answers ENOENT there, and it retries the parent); this walks each level of the
 * path once, so it always returns or throws.
 */
import { mkdirSync, statSync } from 'node:fs';
import { dirname, resolve } from 'node:path';

/** A folder that cannot be used; the message is one line a user can act on. */
export class PathError extends Error {}

export function ensureDir(path: string, mode?: number): void {
  const missing: string[] = [];
  let p = resolve(path);
  // Up to the deepest level that exists: at most one step per level of the path.
  for (;;) {
    let isDir: boolean;
    try {
      isDir = statSync(p).isDirectory();
    } catch (err) {
      const code = codeOf(err);
      if (code !== 'ENOENT') throw new PathError(code === 'ENOTDIR' ? `${fileAbove(p)} is a file, not a folder` : `cannot use ${p}: ${describeFsError(err)}`);
      missing.push(p);
      const parent = dirname(p);
      if (parent === p) throw new PathError(`cannot use ${path}: no such file system root`);
      p = parent;
      continue;
    }
    if (!isDir) throw new PathError(`${p} is a file, not a folder`);
    break;
  }
  for (const dir of missing.reverse()) {
    try {
      mkdirSync(dir, mode === undefined ? undefined : { mode });
    } catch (err) {
      const code = codeOf(err);
      if (code === 'EEXIST' && isDirectory(dir)) continue;
      // The parent exists (made or found above), so ENOENT means this file system takes no new folders (/proc).
      const why = code === 'ENOENT' ? `${dirname(dir)} does not accept new folders` : describeFsError(err);
      throw new PathError(`cannot create folder ${dir}: ${why}`);
    }
  }
}

/** A file-system error in a few words: "permission denied", "read-only file system", … */
export function describeFsError(err: unknown): string {
  switch (codeOf(err)) {
    case 'EACCES':
    case 'EPERM':
      return 'permission denied';
    case 'EROFS':
      return 'read-only file system';
    case 'ENOSPC':
      return 'no space left on the disk';
    case 'EDQUOT':
      return 'disk quota exceeded';
    case 'ENAMETOOLONG':
      return 'the name is too long';
    case 'ELOOP':
      return 'too many symbolic links';
    case 'ENOENT':
      return 'no such file or folder';
    case 'ENOTDIR':
      return 'a part of the path is a file, not a folder';
    case 'EISDIR':
      return 'it is a folder';
    default:
      return (err as Error).message ?? String(err);
  }
}

function codeOf(err: unknown): string {
  return (err as { code?: string }).code ?? '';
}

function isDirectory(p: string): boolean {
  try {
    return statSync(p).isDirectory();
  } catch {
    return false;
  }
}

/** The first level of `p` that exists and is not a folder (what ENOTDIR complains about). */
function fileAbove(p: string): string {
  let q = p;
  for (;;) {
    const parent = dirname(q);
    if (parent === q) return p;
    q = parent;
    try {
      if (!statSync(q).isDirectory()) return q;
    } catch {
      // Keep climbing.
    }
  }
}
