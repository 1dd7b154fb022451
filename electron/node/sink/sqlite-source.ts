/**
 * The sink's view of a recorder's SQLite file: a read-only connection of its own (WAL lets it read
 * committed rows while the recorder writes, and never makes the recorder wait), the tables worth
 * shipping found from the file itself, and their rows read by rowid in bounded batches.
 *
 * Tables are discovered, not taken from schema.ts, so tables created on first use or reshaped by
 * a later schema version are picked up as they appear (`changed()` says when to look again).
 * Shipped: every table but `meta` (the file's own bookkeeping), the `<service>_latest` tables
 * (merged in place, not append-only: the newest row per key is a query over the delta table in
 * PostgreSQL), SQLite's internal tables, virtual and WITHOUT ROWID tables (no rowid to follow).
 */
import type Database from 'better-sqlite3';
import { openDatabase } from '../sqlite/open-database.js';
import { framesOf } from '../recorder/frame-reader.js';
import type { PgType, SqliteValue } from './copy-encoder.js';

export interface SourceColumn {
  name: string;
  type: PgType;
}

export interface SourceTable {
  name: string;
  /**
   * append: rows never change once committed, shipped once each by rowid. upsert: rows whose
   * `openColumn` is NULL may still change (sessions until they end), so they are shipped again.
   */
  mode: 'append' | 'upsert';
  openColumn: string | null;
  /** The PostgreSQL column that holds the SQLite rowid: the INTEGER PRIMARY KEY's name, else `id`. */
  idColumn: string;
  /** Every column in PostgreSQL order of the COPY, the id column first. */
  columns: SourceColumn[];
  /** `received_at` when the table has it: partitions and the BRIN index follow it. */
  timeColumn: string | null;
}

/** Tables that are updated in place, by the column that is NULL while a row may still change. */
const UPSERT_TABLES: Record<string, string> = { sessions: 'ended_at' };
const TIME_COLUMN = 'received_at';

/** SQLite's type affinity rules (https://sqlite.org/datatype3.html §3.1) mapped onto PostgreSQL types. */
export function pgTypeOf(declared: string): PgType {
  const t = declared.toUpperCase();
  if (t.includes('INT')) return 'int8';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'text';
  if (t === '' || t.includes('BLOB')) return 'bytea';
  return 'float8';
}

export function skipReason(name: string, sql: string | null): string | null {
  if (name === 'meta') return 'the file’s own bookkeeping';
  if (name.endsWith('_latest')) return 'merged in place (not append-only)';
  if (name === 'frame_blocks') return 'the archive’s compressed frames, shipped as rows of frames';
  if (/^\s*create\s+virtual\s+table/i.test(sql ?? '')) return 'a virtual table';
  if (/\bwithout\s+rowid\b/i.test(sql ?? '')) return 'a WITHOUT ROWID table';
  if (Buffer.byteLength(name) > 48) return 'its name is too long for PostgreSQL with a partition suffix';
  return null;
}

interface TableInfoRow {
  name: string;
  type: string;
  pk: number;
}

export class SqliteSource {
  private lastDataVersion = -1;
  private lastSchemaVersion = -1;
  private readonly statements = new Map<string, Database.Statement>();

  private constructor(private readonly db: Database.Database) {}

  /** Opens `path` read-only; the recorder (or nothing) writes it meanwhile. */
  static open(path: string): SqliteSource {
    const db = openDatabase(path, { readonly: true, fileMustExist: true });
    db.pragma('busy_timeout = 5000');
    return new SqliteSource(db);
  }

  close(): void {
    this.db.close();
  }

  /** Whether anything was committed (by any connection) since the last call. */
  changed(): boolean {
    const v = this.db.pragma('data_version', { simple: true }) as number;
    const changed = v !== this.lastDataVersion;
    this.lastDataVersion = v;
    return changed;
  }

  /** Whether the tables may have changed since the last call (a table created or altered). */
  schemaChanged(): boolean {
    const v = this.db.pragma('schema_version', { simple: true }) as number;
    const changed = v !== this.lastSchemaVersion;
    this.lastSchemaVersion = v;
    return changed;
  }

  /** The tables to ship, and those left out with why. */
  tables(): { ship: SourceTable[]; skipped: { name: string; reason: string }[] } {
    const all = this.db
      .prepare("SELECT name, sql FROM sqlite_schema WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name")
      .all() as { name: string; sql: string | null }[];
    const ship: SourceTable[] = [];
    const skipped: { name: string; reason: string }[] = [];
    for (const { name, sql } of all) {
      const reason = skipReason(name, sql);
      if (reason) skipped.push({ name, reason });
      else ship.push(this.describe(name));
    }
    this.statements.clear();
    return { ship, skipped };
  }

  private describe(name: string): SourceTable {
    const info = this.db.prepare(`PRAGMA table_info(${quote(name)})`).all() as TableInfoRow[];
    const pks = info.filter((c) => c.pk > 0);
    // A single INTEGER PRIMARY KEY is the rowid itself; other tables get their rowid as `id`.
    const alias = pks.length === 1 && pks[0]!.type.toUpperCase() === 'INTEGER' ? pks[0]!.name : null;
    const idColumn = alias ?? (info.some((c) => c.name === 'id') ? 'sqlite_rowid' : 'id');
    const columns: SourceColumn[] = [{ name: idColumn, type: 'int8' }];
    for (const c of info) if (c.name !== alias) columns.push({ name: c.name, type: pgTypeOf(c.type) });
    const openColumn = UPSERT_TABLES[name] ?? null;
    const hasOpen = openColumn !== null && info.some((c) => c.name === openColumn);
    return {
      name,
      mode: hasOpen ? 'upsert' : 'append',
      openColumn: hasOpen ? openColumn : null,
      idColumn,
      columns,
      timeColumn: info.some((c) => c.name === TIME_COLUMN) ? TIME_COLUMN : null,
    };
  }

  /**
   * Up to `limit` rows with rowid > `after`, in rowid order, as arrays in `t.columns` order.
   *
   * Tables without BLOB columns come back as one `json_array(…)` text per row, parsed here: the
   * recorder's rows are wide and sparse (60 columns, a handful set), and better-sqlite3 spends about
   * twice as long handing over each of those NULLs as SQLite takes to print them and V8 to parse
   * them. JSON keeps every value these tables can hold (numbers, text, NULL) as stored.
   */
  read(t: SourceTable, after: number, limit: number): SqliteValue[][] {
    if (t.name === 'frames') return this.readFrames(t, after, limit);
    let stmt = this.statements.get(t.name);
    const json = !t.columns.some((c) => c.type === 'bytea');
    if (!stmt) {
      const cols = ['rowid', ...t.columns.slice(1).map((c) => quote(c.name))].join(', ');
      const select = json ? `json_array(${cols})` : cols;
      stmt = this.db.prepare(`SELECT ${select} FROM ${quote(t.name)} WHERE rowid > ? ORDER BY rowid LIMIT ?`);
      stmt = json ? stmt.pluck(true) : stmt.raw(true);
      this.statements.set(t.name, stmt);
    }
    if (!json) return stmt.all(after, limit) as SqliteValue[][];
    const texts = stmt.all(after, limit) as string[];
    const rows = new Array<SqliteValue[]>(texts.length);
    for (let i = 0; i < texts.length; i++) rows[i] = JSON.parse(texts[i]!) as SqliteValue[];
    return rows;
  }

  /**
   * Whether `jsonRows` can read the table: any but the archive (read through the frame reader) and
   * tables with BLOB columns (JSON cannot hold a BLOB).
   */
  readsAsJson(t: SourceTable): boolean {
    return t.name !== 'frames' && !t.columns.some((c) => c.type === 'bytea');
  }

  /**
   * Up to `limit` rows with rowid > `after` as one Buffer: each row's `json_array(rowid, …)` in
   * `t.columns` order, newline-separated (JSON escapes newlines inside strings); null when there are
   * none. One value for the whole run of rows, so nothing per row or per column crosses into
   * JavaScript (json-tuples.ts turns the text into COPY tuples). The rows are in no promised order.
   */
  jsonRows(t: SourceTable, after: number, limit: number): Buffer | null {
    const key = `json:${t.name}`;
    let stmt = this.statements.get(key);
    if (!stmt) {
      const cols = ['rowid', ...t.columns.slice(1).map((c) => quote(c.name))].join(', ');
      stmt = this.db
        .prepare(`SELECT CAST(group_concat(r, char(10)) AS BLOB) FROM (SELECT json_array(${cols}) AS r FROM ${quote(t.name)} WHERE rowid > ? ORDER BY rowid LIMIT ?)`)
        .pluck(true);
      this.statements.set(key, stmt);
    }
    return stmt.get(after, limit) as Buffer | null;
  }

  /**
   * The archive is `frames` (the newest) plus compressed `frame_blocks`: the frame reader gives every
   * frame after `after` in id order, so PostgreSQL's `frames` holds each frame once, uncompressed.
   */
  private readFrames(t: SourceTable, after: number, limit: number): SqliteValue[][] {
    const rows: SqliteValue[][] = [];
    const names = t.columns.map((c) => c.name);
    for (const f of framesOf(this.db, { afterId: after })) {
      const byName: Record<string, SqliteValue> = { id: f.id, session_id: f.sessionId, received_at: f.receivedAt, text: f.text, data: f.data ? Buffer.from(f.data) : null, flags: f.flags };
      rows.push(names.map((n, i) => (i === 0 ? f.id : (byName[n] ?? null))));
      if (rows.length >= limit) break;
    }
    return rows;
  }

  /** Rows with rowid > `after`. */
  countAfter(t: SourceTable, after: number): number {
    if (t.name === 'frames') {
      // Frames in a block are consecutive ids: those past `after` are counted without reading them.
      const tail = this.db.prepare('SELECT count(*) FROM frames WHERE id > ?').pluck().get(after) as number;
      const hasBlocks = this.db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'frame_blocks'").get() !== undefined;
      const blocked = hasBlocks ? (this.db.prepare('SELECT coalesce(sum(last_id - max(id, ? + 1) + 1), 0) FROM frame_blocks WHERE last_id > ?').pluck().get(after, after) as number) : 0;
      return tail + blocked;
    }
    return this.db.prepare(`SELECT count(*) FROM ${quote(t.name)} WHERE rowid > ?`).pluck().get(after) as number;
  }

  /** started_at of the first sessions row, if any (part of a read-only file's derived id). */
  firstSessionStart(): number | null {
    try {
      const v = this.db.prepare('SELECT started_at FROM sessions ORDER BY id LIMIT 1').pluck().get();
      return typeof v === 'number' ? v : null;
    } catch {
      return null;
    }
  }

  /** The value of `meta.key`, or null (also when the file has no meta table). */
  meta(key: string): string | null {
    const has = this.db.prepare("SELECT 1 FROM sqlite_schema WHERE type = 'table' AND name = 'meta'").get();
    if (!has) return null;
    const v = this.db.prepare('SELECT value FROM meta WHERE key = ?').pluck().get(key);
    return typeof v === 'string' ? v : null;
  }
}

export const quote = (name: string): string => `"${name.replaceAll('"', '""')}"`;
