/**
 * How many rows a database file holds, cheaply enough to ask when a recorder opens it (the status
 * bar shows the file's rows, not only this run's). The archive and the service tables only ever
 * grow at the end and lose rows only from the start (retention), so their ids are contiguous and
 * max(id) - min(id) + 1 answers from two b-tree lookups; the tables rewritten in place (`_latest`,
 * `price_history`, small ones) are counted, and a compressed frame block counts its frames.
 */
import { existsSync } from 'node:fs';
import { openDatabase } from '../sqlite/open-database.js';
import { SERVICE_TABLES } from './schema.js';

const APPEND_ONLY = new Set<string>(['frames', ...[...SERVICE_TABLES.values()].flatMap((t) => (t.child ? [t.table, t.child.table] : [t.table]))]);

export function countFileRows(path: string): number {
  if (!existsSync(path)) return 0;
  const db = openDatabase(path, { readonly: true, fileMustExist: true });
  try {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' AND name <> 'meta'").pluck().all() as string[];
    let rows = 0;
    for (const t of tables) {
      // Names come from the file's own catalogue; quoted for SQL.
      const q = `"${t.replace(/"/g, '""')}"`;
      const sql =
        t === 'frame_blocks' ? 'SELECT coalesce(sum(count), 0) FROM frame_blocks' // a block row holds `count` frames
        : APPEND_ONLY.has(t) ? `SELECT coalesce(max(rowid) - min(rowid) + 1, 0) FROM ${q}`
        : `SELECT count(*) FROM ${q}`;
      rows += db.prepare(sql).pluck().get() as number;
    }
    return rows;
  } finally {
    db.close();
  }
}
