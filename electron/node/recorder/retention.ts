/**
 * `--retain-days N`: daily files older than N days are deleted whole; a single file loses its rows
 * older than N days a few hundred at a time (each step one short transaction beside the writer's,
 * so recording never waits long), and the pages freed go back to the disk (incremental vacuum).
 */
import type Database from 'better-sqlite3';
import { readdirSync, rmSync } from 'node:fs';
import { dirname, join } from 'node:path';
import { SERVICE_TABLES } from './schema.js';
import { LAST_FRAME_ID_SQL } from './schema-sql.js';
import { dayOfDailyFile, daysBefore } from './trading-day.js';

/** Rows per table per step: a step takes milliseconds, so the writer's next commit barely waits. */
export const PRUNE_ROWS_PER_STEP = 500;
/** Pages handed back to the disk per step. */
const VACUUM_PAGES_PER_STEP = 512;

/** Deletes the daily files of `base` from before `retainDays` days ahead of `today`; returns them. */
export function pruneDailyFiles(base: string, today: string, retainDays: number): string[] {
  const oldestKept = daysBefore(today, retainDays);
  const dir = dirname(base);
  const removed: string[] = [];
  for (const name of readdirSync(dir)) {
    const day = dayOfDailyFile(base, name);
    if (day === null || day >= oldestKept) continue;
    const file = join(dir, name);
    // The WAL first: a database without its WAL is still a database; the reverse is not.
    for (const suffix of ['-wal', '-shm', '']) rmSync(file + suffix, { force: true });
    removed.push(file);
  }
  return removed;
}

/** Tables with a receive time, oldest rows first by id; children go before their parents. */
function timedTables(db: Database.Database): { table: string; time: string; child: string | null }[] {
  const present = new Set(db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[]);
  const out: { table: string; time: string; child: string | null }[] = [
    { table: 'frame_blocks', time: 'received_to', child: null },
    { table: 'frames', time: 'received_at', child: null },
  ];
  for (const t of SERVICE_TABLES.values()) {
    if (present.has(t.table)) out.push({ table: t.table, time: 'received_at', child: t.child && present.has(t.child.table) ? t.child.table : null });
  }
  return out.filter((t) => present.has(t.table));
}

/**
 * One step of removing what was received before `cutoff` (ms epoch) from an open database.
 * Returns the rows deleted; 0 means nothing older is left.
 */
export function pruneRowsStep(db: Database.Database, cutoff: number, rows = PRUNE_ROWS_PER_STEP): number {
  const tables = timedTables(db);
  // Usually nothing is due: a look at each table's oldest row, and no write at all.
  const due =
    tables.some((t) => db.prepare(`SELECT 1 FROM (SELECT "${t.time}" AS at FROM "${t.table}" ORDER BY id LIMIT 1) WHERE at < ?`).get(cutoff) !== undefined) ||
    db.prepare('SELECT 1 FROM sessions WHERE ended_at < ? LIMIT 1').get(cutoff) !== undefined;
  if (!due) return 0;
  let deleted = 0;
  db.transaction(() => {
    // Frame ids must never repeat, even once every frame is gone: the highest is remembered.
    db.prepare(`INSERT INTO meta (key, value) VALUES ('last_frame_id', (${LAST_FRAME_ID_SQL})) ON CONFLICT(key) DO UPDATE SET value = excluded.value`).run();
    for (const t of tables) {
      // Names come from the schema registry, not from the file.
      // Only the oldest rows are looked at (ids grow with time): no step scans a whole table.
      const oldest = `SELECT id FROM (SELECT id, "${t.time}" AS at FROM "${t.table}" ORDER BY id LIMIT ?) WHERE at < ?`;
      if (t.child) db.prepare(`DELETE FROM "${t.child}" WHERE update_id IN (${oldest})`).run(rows, cutoff);
      deleted += db.prepare(`DELETE FROM "${t.table}" WHERE id IN (${oldest})`).run(rows, cutoff).changes;
    }
    deleted += db.prepare('DELETE FROM sessions WHERE id IN (SELECT id FROM sessions WHERE ended_at < ? ORDER BY id LIMIT ?)').run(cutoff, rows).changes;
  })();
  db.pragma(`incremental_vacuum(${VACUUM_PAGES_PER_STEP})`);
  return deleted;
}

/** `retainDays` days before `now`, in ms. */
export function retentionCutoff(now: number, retainDays: number): number {
  return now - retainDays * 86_400_000;
}

