/**
 * Exports that are consistent while recording continues: the whole database copied page by page
 * with SQLite's backup API, or one table as CSV streamed row by row.
 *
 * The copy holds one read transaction on its source connection for its whole length. SQLite's
 * backup restarts whenever the source changes between steps, and a recorder commits every ~50 ms,
 * so a step-wise copy of a large file used to start over for ever; inside a read transaction the
 * source is one WAL snapshot that later commits do not touch, so the copy finishes, is consistent
 * as of its start, and never blocks the writer (which only cannot checkpoint past the snapshot).
 */
import { constants, createWriteStream, existsSync, linkSync, openSync, renameSync, rmSync } from 'node:fs';
import type Database from 'better-sqlite3';
import { openDatabase } from '../sqlite/open-database.js';
import { csvCell } from './csv-cell.js';
import { framesOf } from './frame-reader.js';
import { serviceTableColumns } from './schema-sql.js';
import { checkExportTarget } from './export-target.js';

export interface ExportProgress {
  totalPages: number;
  remainingPages: number;
}

export interface ExportOptions {
  onProgress?: (p: ExportProgress) => void;
  /** Replace a file already at the target (the CLI's --force; a save dialog has asked). Default: refuse. */
  overwrite?: boolean;
  /** Stops the copy between steps; the temporary file is removed and the promise rejects. */
  signal?: AbortSignal;
}

/** Pages copied per step (4 MiB at 4 KiB pages): the event loop gets a turn between steps. */
const PAGES_PER_STEP = 1024;

/** The temporary file an export is written into before it takes the target's name. */
export function partialPathOf(destPath: string): string {
  return `${destPath}.partial`;
}

/** What a copy cut short can leave: the temporary file and the rollback journal SQLite keeps beside it. */
function partialFiles(destPath: string): string[] {
  const partial = partialPathOf(destPath);
  return [partial, `${partial}-journal`];
}

export class ExportInterrupted extends Error {}

export async function exportDatabase(srcPath: string, destPath: string, opts: ExportOptions = {}): Promise<void> {
  if (!existsSync(srcPath)) throw new Error(`${srcPath} does not exist`);
  const partial = partialPathOf(destPath);
  // The partial file is removed before the copy: it must not be (or lead to) the database either.
  checkExportTarget(srcPath, destPath);
  checkExportTarget(srcPath, partial);
  if (!opts.overwrite && existsSync(destPath)) throw new Error(`${destPath} already exists`);
  const db = openSource(srcPath);
  const removePartial = () => {
    for (const f of partialFiles(destPath)) rmSync(f, { force: true });
  };
  try {
    // Whatever an export killed outright (kill -9, power loss) left at this target goes first.
    removePartial();
    db.exec('BEGIN');
    // A deferred BEGIN takes its snapshot at the first read: take it now, before the first step.
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    await db.backup(partial, {
      progress: (p) => {
        if (opts.signal?.aborted) throw new ExportInterrupted('export interrupted');
        opts.onProgress?.(p);
        return PAGES_PER_STEP;
      },
    });
    if (opts.signal?.aborted) throw new ExportInterrupted('export interrupted');
    rmSync(`${partial}-journal`, { force: true });
    singleFile(partial);
    publish(partial, destPath, opts.overwrite ?? false);
  } catch (err) {
    removePartial();
    throw err;
  } finally {
    if (db.inTransaction) db.exec('COMMIT');
    db.close();
  }
}

/**
 * The source connection. Read-write but query-only: a read-only connection to a WAL database
 * cannot remove the -wal and -shm files it creates, so with no recorder running they were left
 * beside the source; a connection that may write checkpoints and removes them when it is the last
 * one to close (with a recorder open they stay, as they belong to it). A file we may not write is
 * still exported, read-only.
 */
function openSource(srcPath: string): Database.Database {
  let db: Database.Database;
  try {
    db = openDatabase(srcPath, { fileMustExist: true });
  } catch (err) {
    const code = (err as { code?: string }).code ?? '';
    if (code !== 'SQLITE_CANTOPEN' && code !== 'SQLITE_READONLY' && code !== 'SQLITE_PERM') throw err;
    db = openDatabase(srcPath, { readonly: true, fileMustExist: true });
  }
  db.pragma('query_only = 1');
  // A recorder checkpointing at that moment holds its lock briefly; wait rather than fail.
  db.pragma('busy_timeout = 5000');
  return db;
}

/**
 * The copy carries the source's WAL flag, so whoever opens it (even read-only) gets -wal and -shm
 * files beside it. An export is a file to hand on: it is switched to a plain rollback journal.
 */
function singleFile(path: string): void {
  const db = openDatabase(path, { fileMustExist: true });
  try {
    db.pragma('journal_mode = DELETE');
  } finally {
    db.close();
  }
}

/** Gives the finished copy its name: atomically replacing, or (link) failing if a file appeared there meanwhile. */
function publish(partial: string, destPath: string, overwrite: boolean): void {
  if (overwrite) {
    renameSync(partial, destPath);
    return;
  }
  try {
    linkSync(partial, destPath);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') throw new Error(`${destPath} already exists`);
    // A file system without hard links: the check before the copy has to do.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EOPNOTSUPP') throw err;
    renameSync(partial, destPath);
    return;
  }
  rmSync(partial, { force: true });
}

export async function exportCsv(
  srcPath: string,
  req: { table: string; out: string; from?: number; to?: number; key?: string },
): Promise<{ rows: number }> {
  checkExportTarget(srcPath, req.out);
  const db = openSource(srcPath);
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    // A service table is created with its first row: one not streamed into this file yet has no rows.
    const present = tables.includes(req.table);
    const columns = present
      ? // The name is one of the database's own tables, checked above, so quoting it is safe.
        (db.prepare(`PRAGMA table_info("${req.table}")`).all() as { name: string }[]).map((c) => c.name)
      : serviceTableColumns(req.table);
    if (!columns) throw new Error(`no table '${req.table}' in ${srcPath}`);
    const where: string[] = [];
    const params: unknown[] = [];
    const timeColumn = columns.includes('received_at') ? 'received_at' : columns.includes('updated_at') ? 'updated_at' : null;
    if ((req.from !== undefined || req.to !== undefined) && !timeColumn) throw new Error(`${req.table} has no time column to filter on`);
    if (req.from !== undefined) {
      where.push(`${timeColumn} >= ?`);
      params.push(req.from);
    }
    if (req.to !== undefined) {
      where.push(`${timeColumn} <= ?`);
      params.push(req.to);
    }
    if (req.key !== undefined) {
      if (!columns.includes('key')) throw new Error(`${req.table} has no key column`);
      where.push('key = ?');
      params.push(req.key);
    }
    const order = columns.includes('id') ? ' ORDER BY id' : '';
    const source: Iterable<unknown[]> =
      req.table === 'frames'
        ? // The archive is partly compressed: its reader yields every frame, as the table once held them.
          (function* () {
            for (const f of framesOf(db, { from: req.from, to: req.to })) yield [f.id, f.sessionId, f.receivedAt, f.text, f.data, f.flags];
          })()
        : present
          ? (db.prepare(`SELECT * FROM "${req.table}"${where.length ? ` WHERE ${where.join(' AND ')}` : ''}${order}`).raw(true).iterate(...params) as Iterable<unknown[]>)
          : [];
    // O_NOFOLLOW: a link planted after the check above is refused rather than followed (0 on Windows).
    const fd = openSync(req.out, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0), 0o644);
    const out = createWriteStream(req.out, { fd });
    const done = new Promise<void>((res, rej) => {
      out.on('finish', res);
      out.on('error', rej);
    });
    let chunk = columns.map(csvCell).join(',') + '\r\n';
    let rows = 0;
    for (const row of source) {
      chunk += row.map(csvCell).join(',') + '\r\n';
      rows++;
      if (chunk.length > 1 << 16) {
        if (!out.write(chunk)) await new Promise<void>((r) => out.once('drain', () => r()));
        chunk = '';
      }
    }
    out.end(chunk);
    await done;
    return { rows };
  } finally {
    db.close();
  }
}
