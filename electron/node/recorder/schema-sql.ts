/**
 * The SQL text of the database contract in schema.ts: the CREATE statements, and every INSERT or
 * UPDATE the recorder runs. Kept beside the schema so a column list is spelled in one place; the
 * builder asks for a statement's text once and sends it to the writer, which prepares it.
 */
import { ALERT_COLUMNS, LEADING, META_COLUMNS, SERVICE_TABLES, type Column, type ServiceTable } from './schema.js';

const q = (name: string) => `"${name}"`;
const names = (columns: readonly string[]) => columns.map(q).join(', ');
const placeholders = (n: number) => `(${new Array<string>(n).fill('?').join(', ')})`;
const typed = (columns: Column[]) => columns.map((c) => `${q(c.name)} ${c.type}`).join(', ');

const FRAME_COLUMNS = ['id', 'session_id', 'received_at', 'text', 'data', 'flags'];

/** Columns of a `<table>_latest` row, in the order of its statement's parameters. */
export function latestColumns(t: ServiceTable): string[] {
  return ['key', 'updated_at', 'ts', ...META_COLUMNS.map((c) => c.name), ...t.fields.map((c) => c.name)];
}

export function createSchemaSql(): string[] {
  const sql = [
    'CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)',
    'CREATE TABLE IF NOT EXISTS sessions (id INTEGER PRIMARY KEY, provider TEXT, dialect TEXT, url TEXT, started_at INTEGER, ended_at INTEGER, end_reason TEXT)',
    'CREATE TABLE IF NOT EXISTS frames (id INTEGER PRIMARY KEY, session_id INTEGER, received_at INTEGER, text TEXT, data BLOB, flags INTEGER NOT NULL DEFAULT 0)',
    PRICE_HISTORY_TABLE_SQL,
    `CREATE TABLE IF NOT EXISTS alerts (id INTEGER PRIMARY KEY, ${typed(ALERT_COLUMNS)})`,
    'CREATE TABLE IF NOT EXISTS recording_pauses (id INTEGER PRIMARY KEY, session_id INTEGER, paused_at INTEGER NOT NULL, resumed_at INTEGER)',
  ];
  for (const t of SERVICE_TABLES.values()) {
    sql.push(`CREATE TABLE IF NOT EXISTS ${q(t.table)} (id INTEGER PRIMARY KEY, ${typed([...LEADING, ...t.fields])})`);
    const latest = [{ name: 'updated_at', type: 'INTEGER' as const }, { name: 'ts', type: 'INTEGER' as const }, ...META_COLUMNS, ...t.fields];
    sql.push(`CREATE TABLE IF NOT EXISTS ${q(`${t.table}_latest`)} (key TEXT PRIMARY KEY, ${typed(latest)})`);
    if (t.child) sql.push(`CREATE TABLE IF NOT EXISTS ${q(t.child.table)} (${typed(t.child.columns)})`);
  }
  return sql;
}

/** Steps that bring a database of schema version `from` to `from + 1` (run in order, in one transaction). */
export const MIGRATIONS: Record<number, string[]> = {
  1: ['ALTER TABLE frames ADD COLUMN data BLOB', 'ALTER TABLE frames ADD COLUMN flags INTEGER NOT NULL DEFAULT 0'],
};

/** `rows` frames in one INSERT: (id, session_id, received_at, text, data, flags) each. */
export function frameInsertSql(rows: number): string {
  return `INSERT INTO frames (${FRAME_COLUMNS.join(', ')}) VALUES ${new Array<string>(rows).fill(placeholders(FRAME_COLUMNS.length)).join(', ')}`;
}

/**
 * Candles fetched from the provider's REST price history (not from a frame, so no frame_id):
 * one row per (symbol, interval, candle time), a later fetch replacing what an earlier one wrote.
 */
export const PRICE_HISTORY_TABLE_SQL =
  'CREATE TABLE IF NOT EXISTS price_history (symbol TEXT NOT NULL, frequency TEXT NOT NULL, datetime INTEGER NOT NULL, open REAL, high REAL, low REAL, close REAL, volume REAL, source TEXT NOT NULL, fetched_at INTEGER NOT NULL, PRIMARY KEY (symbol, frequency, datetime))';
export const PRICE_HISTORY_UPSERT_SQL =
  'INSERT OR REPLACE INTO price_history (symbol, frequency, datetime, open, high, low, close, volume, source, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';

/** A pause of recording begins; it ends (resumed_at) when recording resumes, and stays open if the run ended paused. */
export const PAUSE_BEGIN_SQL = 'INSERT INTO recording_pauses (session_id, paused_at) VALUES (?, ?)';
export const PAUSE_END_SQL = 'UPDATE recording_pauses SET resumed_at = ? WHERE resumed_at IS NULL';

/** One alert firing (ALERT_COLUMNS, in order). */
export const ALERT_INSERT_SQL = `INSERT INTO alerts (${names(ALERT_COLUMNS.map((c) => c.name))}) VALUES ${placeholders(ALERT_COLUMNS.length)}`;
export const LAST_FRAME_ID_SQL = 'SELECT coalesce(max(id), 0) FROM frames';
export const SESSION_BEGIN_SQL = 'INSERT INTO sessions (provider, dialect, url, started_at) VALUES (?, ?, ?, ?)';
export const SESSION_END_SQL = 'UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ?';
export const OPEN_SESSIONS_SQL = 'SELECT id, started_at AS startedAt FROM sessions WHERE ended_at IS NULL ORDER BY id';
/** Newest frames first: where the last frame of each open session is found. */
export const FRAMES_NEWEST_FIRST_SQL = 'SELECT session_id AS sessionId, received_at AS receivedAt FROM frames ORDER BY id DESC';

/** `rows` delta rows in one INSERT: the leading columns, then the field columns at positions `fields`. */
export function deltaInsertSql(t: ServiceTable, fields: readonly number[], rows: number): string {
  const columns = [...LEADING.map((c) => c.name), ...fields.map((i) => t.fields[i]!.name)];
  return `INSERT INTO ${q(t.table)} (${names(columns)}) VALUES ${new Array<string>(rows).fill(placeholders(columns.length)).join(', ')}`;
}

/**
 * One `<table>_latest` row (latestColumns). Level-one rows merge into what is stored, so a field
 * this run has not seen keeps the value an earlier run wrote; rows of other services replace it.
 */
export function latestUpsertSql(t: ServiceTable): string {
  const columns = latestColumns(t);
  const into = `INTO ${q(`${t.table}_latest`)} (${names(columns)}) VALUES ${placeholders(columns.length)}`;
  if (!t.merges) return `INSERT OR REPLACE ${into}`;
  const set = columns
    .slice(1)
    .map((c) => (c === 'updated_at' || c === 'ts' ? `${q(c)} = excluded.${q(c)}` : `${q(c)} = coalesce(excluded.${q(c)}, ${q(c)})`))
    .join(', ');
  return `INSERT ${into} ON CONFLICT(key) DO UPDATE SET ${set}`;
}

/** One child row of a nested update (book level, actives entry…), led by its parent row's id. */
export function childInsertSql(t: ServiceTable): string | null {
  if (!t.child) return null;
  const columns = t.child.columns.map((c) => c.name);
  return `INSERT INTO ${q(t.child.table)} (${names(columns)}) VALUES ${placeholders(columns.length)}`;
}
