/**
 * Exports that are consistent while recording continues: the whole database through SQLite's
 * backup API (from its own read connection), or one table as CSV streamed row by row.
 */
import { constants, createWriteStream, existsSync, openSync, renameSync, rmSync } from 'node:fs';
import { openDatabase } from '../sqlite/open-database.js';
import { csvCell } from './csv-cell.js';
import { checkExportTarget } from './export-target.js';

export async function exportDatabase(
  srcPath: string,
  destPath: string,
  onProgress?: (p: { totalPages: number; remainingPages: number }) => void,
): Promise<void> {
  if (!existsSync(srcPath)) throw new Error(`${srcPath} does not exist`);
  const partial = `${destPath}.partial`;
  // The partial file is removed before the copy: it must not be (or lead to) the database either.
  checkExportTarget(srcPath, destPath);
  checkExportTarget(srcPath, partial);
  const db = openDatabase(srcPath, { readonly: true, fileMustExist: true });
  try {
    rmSync(partial, { force: true });
    // One read transaction for the whole copy: every step reads the same snapshot (WAL lets the
    // recorder go on writing). Without it a write between two steps restarts the backup, so a
    // database of more than one step (1 MB) was never copied while recording.
    db.exec('BEGIN');
    db.prepare('SELECT count(*) FROM sqlite_master').get();
    await db.backup(partial, {
      progress: (p) => {
        onProgress?.(p);
        return 256; // pages per step: the writer gets the lock back between steps
      },
    });
    db.exec('COMMIT');
    renameSync(partial, destPath);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  } finally {
    db.close();
  }
}

export async function exportCsv(
  srcPath: string,
  req: { table: string; out: string; from?: number; to?: number; key?: string },
): Promise<{ rows: number }> {
  checkExportTarget(srcPath, req.out);
  const db = openDatabase(srcPath, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    if (!tables.includes(req.table)) throw new Error(`no table '${req.table}' in ${srcPath}`);
    // The name is one of the database's own tables, checked above, so quoting it is safe.
    const columns = (db.prepare(`PRAGMA table_info("${req.table}")`).all() as { name: string }[]).map((c) => c.name);
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
    const stmt = db.prepare(`SELECT * FROM "${req.table}"${where.length ? ` WHERE ${where.join(' AND ')}` : ''}${order}`).raw(true);
    // O_NOFOLLOW: a link planted after the check above is refused rather than followed (0 on Windows).
    const fd = openSync(req.out, constants.O_WRONLY | constants.O_CREAT | constants.O_TRUNC | (constants.O_NOFOLLOW ?? 0), 0o644);
    const out = createWriteStream(req.out, { fd });
    const done = new Promise<void>((res, rej) => {
      out.on('finish', res);
      out.on('error', rej);
    });
    let chunk = columns.map(csvCell).join(',') + '\r\n';
    let rows = 0;
    for (const row of stmt.iterate(...params) as Iterable<unknown[]>) {
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
