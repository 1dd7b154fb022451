/**
 * Exports that are consistent while recording continues: the whole database through SQLite's
 * backup API (from its own read connection), or one table as CSV streamed row by row.
 */
import { createWriteStream, existsSync, renameSync, rmSync } from 'node:fs';
import { resolve } from 'node:path';
import { openDatabase } from '../sqlite/open-database.js';

export async function exportDatabase(
  srcPath: string,
  destPath: string,
  onProgress?: (p: { totalPages: number; remainingPages: number }) => void,
): Promise<void> {
  if (resolve(srcPath) === resolve(destPath)) throw new Error('the export must go to another file than the database itself');
  if (!existsSync(srcPath)) throw new Error(`${srcPath} does not exist`);
  const db = openDatabase(srcPath, { readonly: true, fileMustExist: true });
  const partial = `${destPath}.partial`;
  try {
    rmSync(partial, { force: true });
    await db.backup(partial, {
      progress: (p) => {
        onProgress?.(p);
        return 256; // pages per step: the writer gets the lock back between steps
      },
    });
    renameSync(partial, destPath);
  } catch (err) {
    rmSync(partial, { force: true });
    throw err;
  } finally {
    db.close();
  }
}

function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  // A BLOB (frames.data: binary frames, text that was not valid UTF-8) as hex, so the CSV stays text.
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  const s = typeof v === 'bigint' ? v.toString() : String(v);
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}

export async function exportCsv(
  srcPath: string,
  req: { table: string; out: string; from?: number; to?: number; key?: string },
): Promise<{ rows: number }> {
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
    const out = createWriteStream(req.out);
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
