/**
 * Parquet exports: one table into one file, or every table with rows into a folder (NAME.parquet).
 * Columns are typed from the declared SQLite types (parquet-columns.ts), compressed with Snappy,
 * which DuckDB, pandas/pyarrow and polars all read and hyparquet-writer (pure JavaScript, nothing to
 * build for Electron) ships itself.
 *
 * Memory is bounded by a row group, not a table: rows are read with .iterate() and every
 * ROW_GROUP_ROWS rows (or ROW_GROUP_BYTES of text and bytes, whichever comes first) become one row
 * group, written out before the next is read. Files are written under a temp name in their own
 * folder and renamed into place only once every file of the export is complete, so a failure or an
 * interruption leaves neither partial files nor some tables of a folder export.
 */
import type Database from 'better-sqlite3';
import { randomBytes } from 'node:crypto';
import { closeSync, constants, lstatSync, openSync, renameSync, rmdirSync, rmSync } from 'node:fs';
import { basename, dirname, join, resolve } from 'node:path';
import { ParquetWriter } from 'hyparquet-writer';
import { ensureDir } from '../fs/ensure-dir.js';
import { openDatabase } from '../sqlite/open-database.js';
import { checkExportTarget } from './export-target.js';
import { parquetColumns, type ParquetColumn, type ParquetValue, type SqliteValue } from './parquet-columns.js';
import { FdWriter } from './parquet-file-writer.js';
import { framesOf } from './frame-reader.js';
import { filterProblem, listTables, selectTable, type TableFilter, type TableSelect } from './table-select.js';

/**
 * Rows per row group. Memory grows with it (a level-one table of ~60 columns: ~330 MB peak RSS at
 * 50k, ~520 MB at 100k) while the file barely shrinks (bench/RESULTS.md, "Parquet export").
 */
export const ROW_GROUP_ROWS = 50_000;
/** A row group of long frames is cut by size instead: what one group holds in memory stays bounded. */
const ROW_GROUP_BYTES = 64 << 20;

export interface ParquetExportOptions extends TableFilter {
  /** Replace files that already exist (otherwise they are refused before anything is written). */
  force?: boolean;
  rowGroupRows?: number;
  /** Aborting stops between row groups and removes what was written. */
  signal?: AbortSignal;
}

export interface WrittenTable {
  table: string;
  file: string;
  rows: number;
  rowGroups: number;
}

/** Files that already exist where an export would write, named so the caller can say how to replace them. */
export class ExportExistsError extends Error {
  constructor(readonly paths: string[]) {
    super(`${paths.join(', ')} already exist${paths.length === 1 ? 's' : ''}`);
  }
}

/** One table into `out`, even when the filters leave no rows (a file with the columns and none). */
export async function exportParquetTable(srcPath: string, req: ParquetExportOptions & { table: string; out: string }): Promise<WrittenTable> {
  checkExportTarget(srcPath, req.out);
  if (!req.force && exists(req.out)) throw new ExportExistsError([req.out]);
  const db = openDatabase(srcPath, { readonly: true, fileMustExist: true });
  try {
    const select = selectTable(db, req.table, req);
    // writeEmpty: a file even without rows, so never null
    const written = (await writeTable(db, req.table, select, req.out, req, true))!;
    try {
      checkPlace(srcPath, req.out, req.force);
      renameSync(written.temp, req.out);
    } catch (err) {
      rmSync(written.temp, { force: true });
      throw err;
    }
    return result(req.table, req.out, written);
  } finally {
    db.close();
  }
}

export interface FolderExport {
  written: WrittenTable[];
  /** Tables with rows that the filters cannot apply to (no time or key column), and why. */
  skipped: { table: string; reason: string }[];
}

/**
 * Every table that has rows under the filters into `dir` (created if missing), as NAME.parquet,
 * all read from one snapshot of the database so the files agree with each other while `record`
 * keeps writing.
 */
export async function exportParquetFolder(srcPath: string, req: ParquetExportOptions & { dir: string }): Promise<FolderExport> {
  const db = openDatabase(srcPath, { readonly: true, fileMustExist: true });
  const skipped: FolderExport['skipped'] = [];
  const plan: { table: string; select: TableSelect; out: string }[] = [];
  let createdDir: string | null = null;
  const temps: { table: string; out: string; written: Written }[] = [];
  try {
    db.exec('BEGIN'); // one read snapshot for every table
    for (const table of listTables(db)) {
      const select = selectTable(db, table, {});
      if (table === FRAME_BLOCKS || !hasRows(db, table, select, {})) continue;
      const problem = filterProblem(table, select.columns, req);
      if (problem) {
        skipped.push({ table, reason: problem });
        continue;
      }
      if (/[/\\\0]|^\./.test(table)) {
        skipped.push({ table, reason: 'its name cannot be a file name' });
        continue;
      }
      const filtered = selectTable(db, table, req);
      if (hasRows(db, table, filtered, req)) plan.push({ table, select: filtered, out: join(req.dir, `${table}.parquet`) });
    }
    createdDir = topMissingFolder(req.dir);
    ensureDir(req.dir);
    for (const p of plan) checkExportTarget(srcPath, p.out);
    const existing = plan.map((p) => p.out).filter(exists);
    if (existing.length && !req.force) throw new ExportExistsError(existing);
    for (const p of plan) {
      const written = await writeTable(db, p.table, p.select, p.out, req, false);
      if (written) temps.push({ table: p.table, out: p.out, written });
    }
    // Every name checked again before any is taken, so a file that appeared meanwhile stops them all.
    for (const t of temps) checkPlace(srcPath, t.out, req.force);
    for (const t of temps) renameSync(t.written.temp, t.out);
    return { written: temps.map((t) => result(t.table, t.out, t.written)), skipped };
  } catch (err) {
    for (const t of temps) rmSync(t.written.temp, { force: true });
    if (createdDir !== null) removeEmptyFolders(req.dir, createdDir);
    throw err;
  } finally {
    if (db.inTransaction) db.exec('COMMIT');
    db.close();
  }
}

interface Written {
  temp: string;
  rows: number;
  rowGroups: number;
}

function result(table: string, file: string, w: Written): WrittenTable {
  return { table, file, rows: w.rows, rowGroups: w.rowGroups };
}

function hasRows(db: Database.Database, table: string, select: TableSelect, filter: TableFilter): boolean {
  if (table === FRAMES) {
    // Closed at once: a reader left open would keep the connection busy for the statements after it.
    const frames = framesOf(db, filter);
    const first = frames.next();
    frames.return(undefined);
    return !first.done;
  }
  return db.prepare(`SELECT EXISTS (${select.sql})`).pluck().get(...select.params) === 1;
}

/**
 * The archive is `frames` (the newest) plus compressed `frame_blocks`: its export reads every frame
 * through the one frame reader, as replay and CSV do, in the `frames` columns; the blocks table
 * itself is not exported.
 */
const FRAMES = 'frames';
const FRAME_BLOCKS = 'frame_blocks';

function* rowsOf(db: Database.Database, table: string, select: TableSelect, stmt: Database.Statement, filter: TableFilter): Iterable<SqliteValue[]> {
  if (table !== FRAMES) {
    yield* stmt.iterate(...select.params) as Iterable<SqliteValue[]>;
    return;
  }
  const big = (n: number | null) => (n === null ? null : BigInt(n));
  for (const f of framesOf(db, filter)) {
    const byName: Record<string, SqliteValue> = { id: big(f.id), session_id: big(f.sessionId), received_at: big(f.receivedAt), text: f.text, data: f.data ? Buffer.from(f.data) : null, flags: big(f.flags) };
    yield select.columns.map((c) => byName[c.name] ?? null);
  }
}

/**
 * Writes the rows of `select` into a new temp file beside `out`; null when there are none and
 * `writeEmpty` is false. The temp file is removed on any failure.
 */
async function writeTable(
  db: Database.Database,
  table: string,
  select: TableSelect,
  out: string,
  opts: ParquetExportOptions,
  writeEmpty: boolean,
): Promise<Written | null> {
  const columns = parquetColumns(table, select.columns);
  const groupRows = opts.rowGroupRows ?? ROW_GROUP_ROWS;
  const stmt = db.prepare(select.sql).raw(true).safeIntegers(true);
  let file: { temp: string; fd: number; pq: ParquetWriter } | null = null;
  const open = () => {
    const temp = join(dirname(out), `.${basename(out)}.${randomBytes(6).toString('hex')}.partial`);
    // O_EXCL: a fresh file of our own, never an existing file or a link planted at that name.
    const fd = openSync(temp, constants.O_WRONLY | constants.O_CREAT | constants.O_EXCL | (constants.O_NOFOLLOW ?? 0), 0o644);
    file = { temp, fd, pq: new ParquetWriter({ writer: new FdWriter(fd), schema: schemaOf(columns), codec: 'SNAPPY', createdBy: 'tapedeck (hyparquet-writer)', kvMetadata: [{ key: 'tapedeck.table', value: table }] }) };
    return file;
  };
  let data: ParquetValue[][] = columns.map(() => []);
  let rows = 0;
  let bytes = 0;
  let total = 0;
  let rowGroups = 0;
  const writeGroup = () => {
    const f = file ?? open();
    f.pq.write({ columnData: columns.map((c, i) => ({ name: c.name, data: data[i]! })), rowGroupSize: rows });
    rowGroups++;
    data = columns.map(() => []);
    rows = 0;
    bytes = 0;
  };
  try {
    for (const row of rowsOf(db, table, select, stmt, opts)) {
      for (let i = 0; i < columns.length; i++) {
        const v = columns[i]!.convert(row[i]!);
        data[i]!.push(v);
        if (typeof v === 'string' || v instanceof Uint8Array) bytes += v.length;
      }
      rows++;
      total++;
      if (rows >= groupRows || bytes >= ROW_GROUP_BYTES) {
        writeGroup();
        // Between row groups: let a signal handler run, and stop there if it asked to.
        await new Promise<void>((r) => setImmediate(r));
        if (opts.signal?.aborted) throw new Error('export interrupted; nothing was written');
      }
    }
    if (rows > 0) writeGroup();
    if (!file && !writeEmpty) return null;
    const f: { temp: string; fd: number; pq: ParquetWriter } = file ?? open();
    await f.pq.finish();
    closeSync(f.fd);
    file = null;
    return { temp: f.temp, rows: total, rowGroups };
  } catch (err) {
    const f = file as { temp: string; fd: number } | null;
    if (f) {
      closeSync(f.fd);
      rmSync(f.temp, { force: true });
    }
    throw err;
  }
}

function schemaOf(columns: readonly ParquetColumn[]): ConstructorParameters<typeof ParquetWriter>[0]['schema'] {
  return [{ name: 'root', num_children: columns.length }, ...columns.map((c) => c.element)];
}

/** The target checked again right before a finished file takes its name: it may have changed since. */
function checkPlace(srcPath: string, out: string, force: boolean | undefined): void {
  checkExportTarget(srcPath, out);
  if (!force && exists(out)) throw new ExportExistsError([out]);
}

function exists(path: string): boolean {
  try {
    lstatSync(path);
    return true;
  } catch {
    return false;
  }
}

/** The outermost folder of `dir` that does not exist yet (what ensureDir will create), or null. */
function topMissingFolder(dir: string): string | null {
  let top: string | null = null;
  for (let d = resolve(dir); !exists(d); d = dirname(d)) {
    top = d;
    if (dirname(d) === d) break;
  }
  return top;
}

/** The folders this export created (from `dir` up to `top`), where nothing else was put in them. */
function removeEmptyFolders(dir: string, top: string): void {
  for (let d = resolve(dir); ; d = dirname(d)) {
    try {
      rmdirSync(d);
    } catch {
      return; // not empty, or already gone: leave it and what holds it
    }
    if (d === resolve(top) || dirname(d) === d) return;
  }
}
