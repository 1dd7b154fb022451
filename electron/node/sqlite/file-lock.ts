/**
 * A lock on a file, held for as long as the holder keeps it and released by the operating system
 * when the process ends in any way (kill -9, a crash, power loss): there is no stale lock to
 * detect, no pid to trust, and no native addon of our own. SQLite already takes such locks
 * (fcntl on POSIX, LockFileEx on Windows), so the lock is an empty SQLite file held in an
 * EXCLUSIVE transaction that is never committed. SQLite also tracks its locks per file within
 * the process, so a second holder in the same process is refused just like one in another.
 *
 * The file stays after release: removing it would let a process that opened the old file and one
 * that created a new one both believe they hold the lock.
 */
import type Database from 'better-sqlite3';
import { openDatabase } from './open-database.js';

export class FileLock {
  private constructor(
    private db: Database.Database | null,
    readonly path: string,
  ) {}

  /** Takes the lock at `path` (creating the file), or returns null at once when another holder has it. */
  static tryAcquire(path: string): FileLock | null {
    // timeout 0: a held lock is an answer, not something to wait out.
    const db = openDatabase(path, { timeout: 0 });
    try {
      db.pragma('locking_mode = EXCLUSIVE');
      db.exec('BEGIN EXCLUSIVE');
    } catch (err) {
      db.close();
      if ((err as { code?: string }).code === 'SQLITE_BUSY') return null;
      throw err;
    }
    return new FileLock(db, path);
  }

  release(): void {
    // Closing rolls the empty transaction back and drops the OS lock.
    this.db?.close();
    this.db = null;
  }
}
