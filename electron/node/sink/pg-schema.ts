/**
 * The PostgreSQL side of the sink's tables: created to mirror the SQLite tables plus a leading
 * `recorder_id`, or reused when they exist (missing columns added, never altered or dropped).
 *
 * Tables with `received_at` (ms since the epoch) are TimescaleDB hypertables with one-day chunks
 * when the extension is installed in the database, otherwise range-partitioned by day (partitions
 * made as rows for a day arrive, plus a DEFAULT partition for rows without a time); both get a BRIN
 * index on `received_at`, which costs almost nothing to keep up on append-only, time-ordered data.
 * Other tables are plain, with a BRIN index on their id. No unique index on the large tables: the
 * high-water marks (tapedeck_ship_hwm) are what make every row land once, and a B-tree would
 * halve COPY throughput. `sessions` is updated in place and keyed (recorder_id, id).
 *
 * DDL runs under a transaction-scoped advisory lock, so two shippers creating the same table or
 * partition at once wait for each other instead of failing.
 */
import { createHash } from 'node:crypto';
import type { ClientBase } from 'pg';
import type { PgType } from './copy-encoder.js';
import { quote, type SourceTable } from './sqlite-source.js';

export const HWM_TABLE = 'tapedeck_ship_hwm';
export const DAY_MS = 86_400_000;
/** received_at values that make a daily partition: years 1970 to 9999 (others go to DEFAULT). */
export const MAX_PARTITION_TIME = 253_402_300_800_000;
const DDL_LOCK = "pg_advisory_xact_lock(hashtext('tapedeck-ship-ddl'))";

const PG_NAME: Record<PgType, string> = { int8: 'bigint', float8: 'double precision', text: 'text', bytea: 'bytea' };

/** How the sink found (or made) a table. */
export interface PgTableState {
  layout: 'partitioned' | 'hypertable' | 'plain';
  /** Day numbers (ms / DAY_MS) that have a partition. */
  days: Set<number>;
}

/** A table the sink cannot write into as it stands (a column of another type): said once, then left alone. */
export class TableMismatchError extends Error {}

export async function ensureHwmTable(c: ClientBase): Promise<void> {
  await inDdlTransaction(c, async () => {
    await c.query(
      `CREATE TABLE IF NOT EXISTS ${HWM_TABLE} (recorder_id text NOT NULL, table_name text NOT NULL, last_id bigint NOT NULL, ` +
        'shipped_at timestamptz NOT NULL DEFAULT now(), PRIMARY KEY (recorder_id, table_name))',
    );
  });
}

export async function hasTimescale(c: ClientBase): Promise<boolean> {
  const r = await c.query("SELECT 1 FROM pg_extension WHERE extname = 'timescaledb'");
  return (r.rowCount ?? 0) > 0;
}

/** Creates or completes the table for `t`; throws TableMismatchError when an existing column has another type. */
export async function ensureTable(c: ClientBase, t: SourceTable, timescale: boolean): Promise<PgTableState> {
  return inDdlTransaction(c, async () => {
    const existing = await c.query<{ column_name: string; data_type: string }>(
      'SELECT column_name, data_type FROM information_schema.columns WHERE table_schema = current_schema() AND table_name = $1',
      [t.name],
    );
    const wanted = [{ name: 'recorder_id', type: 'text' as PgType }, ...t.columns];
    if (existing.rowCount === 0) {
      await createTable(c, t, wanted, timescale);
    } else {
      const have = new Map(existing.rows.map((r) => [r.column_name, r.data_type]));
      for (const col of wanted) {
        const type = have.get(col.name);
        if (type === undefined) await c.query(`ALTER TABLE ${quote(t.name)} ADD COLUMN IF NOT EXISTS ${quote(col.name)} ${PG_NAME[col.type]}`);
        else if (type !== PG_NAME[col.type]) {
          throw new TableMismatchError(`column ${col.name} of ${t.name} is ${type} in PostgreSQL; the sink writes ${PG_NAME[col.type]}`);
        }
      }
    }
    return describeLayout(c, t.name);
  });
}

async function createTable(c: ClientBase, t: SourceTable, columns: { name: string; type: PgType }[], timescale: boolean): Promise<void> {
  const name = quote(t.name);
  const defs = columns.map((col) => `${quote(col.name)} ${PG_NAME[col.type]}${col.name === 'recorder_id' || col.name === t.idColumn ? ' NOT NULL' : ''}`);
  if (t.mode === 'upsert') defs.push(`PRIMARY KEY (recorder_id, ${quote(t.idColumn)})`);
  const partitioned = t.timeColumn !== null && t.mode === 'append' && !timescale;
  await c.query(`CREATE TABLE ${name} (${defs.join(', ')})${partitioned ? ` PARTITION BY RANGE (${quote(t.timeColumn!)})` : ''}`);
  if (t.timeColumn !== null && t.mode === 'append') {
    if (timescale) {
      await c.query(`SELECT create_hypertable($1::regclass, $2::name, chunk_time_interval => ${DAY_MS}::bigint)`, [name, t.timeColumn]);
    } else {
      await c.query(`CREATE TABLE ${quote(partitionName(t.name, null))} PARTITION OF ${name} DEFAULT`);
    }
  }
  const brin = t.timeColumn ?? t.idColumn;
  await c.query(`CREATE INDEX ${quote(indexName(t.name, brin))} ON ${name} USING brin (${quote(brin)})`);
}

async function describeLayout(c: ClientBase, table: string): Promise<PgTableState> {
  const partitioned = await c.query('SELECT 1 FROM pg_partitioned_table p JOIN pg_class k ON k.oid = p.partrelid WHERE k.oid = to_regclass($1)', [quote(table)]);
  if ((partitioned.rowCount ?? 0) > 0) {
    const children = await c.query<{ name: string }>('SELECT c.relname AS name FROM pg_inherits i JOIN pg_class c ON c.oid = i.inhrelid WHERE i.inhparent = to_regclass($1)', [quote(table)]);
    const days = new Set<number>();
    for (const { name } of children.rows) {
      const day = dayOfPartition(table, name);
      if (day !== null) days.add(day);
    }
    return { layout: 'partitioned', days };
  }
  if (await hasTimescale(c)) {
    const hyper = await c.query('SELECT 1 FROM timescaledb_information.hypertables WHERE hypertable_schema = current_schema() AND hypertable_name = $1', [table]);
    if ((hyper.rowCount ?? 0) > 0) return { layout: 'hypertable', days: new Set() };
  }
  return { layout: 'plain', days: new Set() };
}

/** Makes the daily partitions `days` of a partitioned table that do not exist yet. */
export async function ensurePartitions(c: ClientBase, table: string, state: PgTableState, days: Iterable<number>): Promise<void> {
  const missing = [...new Set(days)].filter((d) => !state.days.has(d));
  if (missing.length === 0 || state.layout !== 'partitioned') return;
  await inDdlTransaction(c, async () => {
    for (const day of missing) {
      await c.query(
        `CREATE TABLE IF NOT EXISTS ${quote(partitionName(table, day))} PARTITION OF ${quote(table)} FOR VALUES FROM (${day * DAY_MS}) TO (${(day + 1) * DAY_MS})`,
      );
    }
  });
  for (const day of missing) state.days.add(day);
}

/** `<table>_p20250314` for a day, `<table>_default` for the default partition. */
export function partitionName(table: string, day: number | null): string {
  if (day === null) return `${table}_default`;
  return `${table}_p${new Date(day * DAY_MS).toISOString().slice(0, 10).replaceAll('-', '')}`;
}

function dayOfPartition(table: string, name: string): number | null {
  const m = /^(\d{4})(\d\d)(\d\d)$/.exec(name.startsWith(`${table}_p`) ? name.slice(table.length + 2) : '');
  return m ? Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY_MS : null;
}

/** Index names stay under PostgreSQL's 63 bytes however long the table name is. */
function indexName(table: string, column: string): string {
  const name = `${table}_${column}_brin`;
  return Buffer.byteLength(name) <= 63 ? name : `${table.slice(0, 40)}_${createHash('sha1').update(name).digest('hex').slice(0, 12)}_brin`;
}

async function inDdlTransaction<T>(c: ClientBase, body: () => Promise<T>): Promise<T> {
  await c.query('BEGIN');
  try {
    await c.query(`SELECT ${DDL_LOCK}`);
    const out = await body();
    await c.query('COMMIT');
    return out;
  } catch (err) {
    await c.query('ROLLBACK').catch(() => undefined);
    throw err;
  }
}
