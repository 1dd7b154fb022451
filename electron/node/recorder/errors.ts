/** Opening a database fails in ways a user can fix; each gets one line that says which. */
import { existsSync, statSync } from 'node:fs';
import { dirname } from 'node:path';

export class RecorderError extends Error {}

export function describeOpenFailure(path: string, err: unknown): RecorderError {
  const code = (err as { code?: string }).code ?? '';
  const dir = dirname(path);
  if (code === 'SQLITE_NOTADB' || /not a database/i.test(String((err as Error).message))) {
    return new RecorderError(`${path} is not a Tapedeck database (file is not a database)`);
  }
  let reason = (err as Error).message;
  if (isFolder(path)) {
    reason = 'that is a folder, not a database file';
  } else if (!existsSync(dir)) {
    let parent = dir;
    while (!existsSync(parent) && dirname(parent) !== parent) parent = dirname(parent);
    reason = existsSync(parent) && !statSync(parent).isDirectory() ? `${parent} is a file, not a folder` : `folder ${dir} does not exist`;
  } else if (!statSync(dir).isDirectory()) {
    reason = `${dir} is not a folder`;
  } else if (code === 'SQLITE_CANTOPEN' || code === 'SQLITE_READONLY' || code === 'SQLITE_PERM') {
    reason = 'permission denied';
  }
  return new RecorderError(`cannot create database at ${path}: ${reason}`);
}

function isFolder(path: string): boolean {
  try {
    return statSync(path).isDirectory();
  } catch {
    return false;
  }
}

/** Recording stopped for good (the file was deleted or replaced, the writer thread died): nothing more is written. */
export class RecordingStoppedError extends RecorderError {}

/** Another writer holds the database: refused at once (one writer per file). */
export function describeHeldDatabase(path: string): RecorderError {
  return new RecorderError(`${path} is already being recorded by another Tapedeck (the app or 'tapedeck record'); one writer per database: stop that one or choose another file`);
}
