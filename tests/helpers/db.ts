import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';
import { readFrames, type ArchivedFrame } from '../../electron/node/recorder/frame-reader.js';

/** Runs one query on a read-only connection (the recorder keeps writing on its own). */
export function query<T>(dbPath: string, sql: string, ...params: unknown[]): T[] {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    return db.prepare(sql).all(...params) as T[];
  } finally {
    db.close();
  }
}

/**
 * A count(*) query's answer. A service's table is created with its first row, so a table that does
 * not exist yet holds no rows: 0, not an error (tests wait on these counts).
 */
export function count(dbPath: string, sql: string, ...params: unknown[]): number {
  try {
    const row = query<{ n: number }>(dbPath, sql, ...params)[0];
    return row?.n ?? 0;
  } catch (err) {
    if (/^no such table/.test((err as Error).message)) return 0;
    throw err;
  }
}

/**
 * Every archived frame in id order, through the recorder's one frame reader: frames live partly in
 * compressed blocks (frame_blocks), so SQL on `frames` alone sees only the newest.
 */
export function archivedFrames(dbPath: string): ArchivedFrame[] {
  return [...readFrames(dbPath)];
}

/** Rows of a table that may not exist yet (a service's table is created with its first row): 0 until it does. */
export function countRows(dbPath: string, table: string, where = '', ...params: unknown[]): number {
  if (!existsSync(dbPath)) return 0;
  const exists = count(dbPath, "SELECT count(*) AS n FROM sqlite_master WHERE type = 'table' AND name = ?", table) > 0;
  return exists ? count(dbPath, `SELECT count(*) AS n FROM "${table}"${where ? ` WHERE ${where}` : ''}`, ...params) : 0;
}
