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

/**
 * The tables every database has from the start, in creation order: the one registry to extend when
 * a feature needs a table of its own (each statement must be idempotent: IF NOT EXISTS).
 */
/**
 * Candles fetched from the provider's REST price history (not from a frame, so no frame_id):
 * one row per (symbol, interval, candle time), a later fetch replacing what an earlier one wrote.
 */
const PRICE_HISTORY_TABLE_SQL =
  'CREATE TABLE IF NOT EXISTS price_history (symbol TEXT NOT NULL, frequency TEXT NOT NULL, datetime INTEGER NOT NULL, open REAL, high REAL, low REAL, close REAL, volume REAL, source TEXT NOT NULL, fetched_at INTEGER NOT NULL, PRIMARY KEY (symbol, frequency, datetime))';

export const FIXED_TABLES: readonly { name: string; create: readonly string[] }[] = [
  { name: 'meta', create: ['CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT)'] },
  {
    name: 'sessions',
    create: ['CREATE TABLE IF NOT EXISTS sessions (id INTEGER PRIMARY KEY, provider TEXT, dialect TEXT, url TEXT, started_at INTEGER, ended_at INTEGER, end_reason TEXT)'],
  },
  // The newest frames, as received; the writer folds them into frame_blocks when it has time.
  { name: 'frames', create: ['CREATE TABLE IF NOT EXISTS frames (id INTEGER PRIMARY KEY, session_id INTEGER, received_at INTEGER, text TEXT, data BLOB, flags INTEGER NOT NULL DEFAULT 0)'] },
  {
    name: 'frame_blocks',
    create: [
      // id is the block's first frame id; its frames are id .. last_id, consecutive (frame-block.ts).
      'CREATE TABLE IF NOT EXISTS frame_blocks (id INTEGER PRIMARY KEY, last_id INTEGER NOT NULL, session_id INTEGER, count INTEGER NOT NULL, received_from INTEGER NOT NULL, received_to INTEGER NOT NULL, codec INTEGER NOT NULL, payload BLOB NOT NULL)',
    ],
  },
  { name: 'price_history', create: [PRICE_HISTORY_TABLE_SQL] },
  { name: 'alerts', create: [`CREATE TABLE IF NOT EXISTS alerts (id INTEGER PRIMARY KEY, ${typed(ALERT_COLUMNS)})`] },
  { name: 'recording_pauses', create: ['CREATE TABLE IF NOT EXISTS recording_pauses (id INTEGER PRIMARY KEY, session_id INTEGER, paused_at INTEGER NOT NULL, resumed_at INTEGER)'] },
];

export function createSchemaSql(): string[] {
  return FIXED_TABLES.flatMap((t) => t.create);
}

/** The columns of a service table, its `_latest` table or its child table, by name (null for any other name). */
export function serviceTableColumns(name: string): string[] | null {
  for (const t of SERVICE_TABLES.values()) {
    if (name === t.table) return ['id', ...LEADING.map((c) => c.name), ...t.fields.map((c) => c.name)];
    if (name === `${t.table}_latest`) return latestColumns(t);
    if (t.child && name === t.child.table) return t.child.columns.map((c) => c.name);
  }
  return null;
}

/**
 * A service's tables (delta rows, `_latest`, child rows): created when the first row for the
 * service arrives, so a file holds tables only for what was streamed into it.
 */
export function serviceTableSql(t: ServiceTable): string[] {
  const sql = [`CREATE TABLE IF NOT EXISTS ${q(t.table)} (id INTEGER PRIMARY KEY, ${typed([...LEADING, ...t.fields])})`];
  const latest = [{ name: 'updated_at', type: 'INTEGER' as const }, { name: 'ts', type: 'INTEGER' as const }, ...META_COLUMNS, ...t.fields];
  sql.push(`CREATE TABLE IF NOT EXISTS ${q(`${t.table}_latest`)} (key TEXT PRIMARY KEY, ${typed(latest)})`);
  if (t.child) sql.push(`CREATE TABLE IF NOT EXISTS ${q(t.child.table)} (${typed(t.child.columns)})`);
  return sql;
}

/** Steps that bring a database of schema version `from` to `from + 1` (run in order, in one transaction). */
export const MIGRATIONS: Record<number, string[]> = {
  1: ['ALTER TABLE frames ADD COLUMN data BLOB', 'ALTER TABLE frames ADD COLUMN flags INTEGER NOT NULL DEFAULT 0'],
  // 2 → 3: frame_blocks is created with the fixed tables; the frames a v2 file holds stay where they
  // are and are folded into blocks while the writer has time (frame-archive.ts). Its service tables,
  // empty or not, stay too.
  2: [],
  // 3 → 4: nothing moves. Blocks already written stay deflate-raw (codec 1, still read); blocks folded
  // from now on are brotli (codec 2), which a schema-3 Tapedeck could not read, hence the bump.
  3: [],
};

/** `rows` frames in one INSERT: (id, session_id, received_at, text, data, flags) each. */
export function frameInsertSql(rows: number): string {
  return `INSERT INTO frames (${FRAME_COLUMNS.join(', ')}) VALUES ${new Array<string>(rows).fill(placeholders(FRAME_COLUMNS.length)).join(', ')}`;
}

/**
 * The highest frame id ever given: in the uncompressed tail, in the newest block, or (after retention
 * removed every frame) remembered in meta, so ids never repeat.
 */
export const LAST_FRAME_ID_SQL = `SELECT max(
  coalesce((SELECT max(id) FROM frames), 0),
  coalesce((SELECT last_id FROM frame_blocks ORDER BY id DESC LIMIT 1), 0),
  coalesce((SELECT CAST(value AS INTEGER) FROM meta WHERE key = 'last_frame_id'), 0))`;

/** A pause of recording begins; it ends (resumed_at) when recording resumes, and stays open if the run ended paused. */
export const PAUSE_BEGIN_SQL = 'INSERT INTO recording_pauses (session_id, paused_at) VALUES (?, ?)';
export const PAUSE_END_SQL = 'UPDATE recording_pauses SET resumed_at = ? WHERE resumed_at IS NULL';

/** One alert firing (ALERT_COLUMNS, in order). */
export const ALERT_INSERT_SQL = `INSERT INTO alerts (${names(ALERT_COLUMNS.map((c) => c.name))}) VALUES ${placeholders(ALERT_COLUMNS.length)}`;
export const PRICE_HISTORY_UPSERT_SQL =
  'INSERT OR REPLACE INTO price_history (symbol, frequency, datetime, open, high, low, close, volume, source, fetched_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)';
export const SESSION_BEGIN_SQL = 'INSERT INTO sessions (provider, dialect, url, started_at) VALUES (?, ?, ?, ?)';
export const SESSION_END_SQL = 'UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ?';
export const OPEN_SESSIONS_SQL = 'SELECT id, started_at AS startedAt FROM sessions WHERE ended_at IS NULL ORDER BY id';
/** Newest frames first: where the last frame of each open session is found (the tail, then the blocks). */
export const FRAMES_NEWEST_FIRST_SQL = 'SELECT session_id AS sessionId, received_at AS receivedAt FROM frames ORDER BY id DESC';
export const BLOCKS_NEWEST_FIRST_SQL = 'SELECT session_id AS sessionId, received_to AS receivedAt FROM frame_blocks ORDER BY id DESC';

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
