/**
 * Which recorder a row came from in PostgreSQL: a stable id per SQLite file, stored in the file's
 * `meta` table as `recorder_id` (a random UUID, written the first time the file is shipped). It
 * survives restarts, so shipping resumes from the same high-water marks; a copy made with
 * `tapedeck export` carries the same id, which is right: it holds the same rows.
 *
 * A file that cannot be written (read-only archive) and has no id yet gets one derived from its
 * creation time and first session instead: the same for every run over the same file.
 */
import { createHash, randomUUID } from 'node:crypto';
import { openDatabase } from '../sqlite/open-database.js';
import type { SqliteSource } from './sqlite-source.js';

const KEY = 'recorder_id';

export function recorderIdOf(path: string, source: SqliteSource): string {
  const stored = source.meta(KEY);
  if (stored) return stored;
  if (source.meta('created_at') === null && source.meta('schema_version') === null) {
    throw new Error(`${path} is not a Tapedeck database (it has no meta table)`);
  }
  try {
    const db = openDatabase(path, { fileMustExist: true });
    try {
      db.pragma('busy_timeout = 5000');
      // Whoever writes first wins; every later reader gets that one.
      db.prepare('INSERT OR IGNORE INTO meta (key, value) VALUES (?, ?)').run(KEY, randomUUID());
      return db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(KEY) as string;
    } finally {
      db.close();
    }
  } catch (err) {
    if (!/readonly|read-only|SQLITE_CANTOPEN|EACCES|permission/i.test(String((err as Error).message ?? err))) throw err;
    const seed = `${source.meta('created_at') ?? ''}|${source.firstSessionStart() ?? ''}`;
    return `derived-${createHash('sha256').update(seed).digest('hex').slice(0, 32)}`;
  }
}
