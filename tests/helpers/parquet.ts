/**
 * Parquet files read back by an independent reader, DuckDB (@duckdb/node-api), and SQLite tables
 * read the same way, so a test compares the two value for value. Values are normalised to one
 * form: integers as bigint, doubles as number, text as string, bytes as 'bytes:<hex>', timestamps
 * as their ms since the epoch (bigint).
 */
import Database from 'better-sqlite3';
import { framesOf } from '../../electron/node/recorder/frame-reader.js';
import { DuckDBInstance } from '@duckdb/node-api';

export type Cell = null | bigint | number | string;

export interface ParquetRead {
  /** column name → DuckDB's type for it (DESCRIBE) */
  types: Record<string, string>;
  rows: Cell[][];
  rowGroups: number;
  codecs: string[];
}

const sqlString = (s: string) => `'${s.replaceAll("'", "''")}'`;

function cell(v: unknown): Cell {
  if (v === null || v === undefined || typeof v === 'bigint' || typeof v === 'number' || typeof v === 'string') return v ?? null;
  if (v instanceof Uint8Array) return `bytes:${Buffer.from(v).toString('hex')}`;
  throw new Error(`unexpected value ${String(v)}`);
}

export async function readParquet(file: string): Promise<ParquetRead> {
  const instance = await DuckDBInstance.create(':memory:');
  const conn = await instance.connect();
  try {
    const source = `read_parquet(${sqlString(file)})`;
    const described = (await conn.runAndReadAll(`DESCRIBE SELECT * FROM ${source}`)).getRowObjectsJS() as { column_name: string; column_type: string }[];
    const types = Object.fromEntries(described.map((d) => [d.column_name, d.column_type]));
    const columns = described.map((d) => (d.column_type.startsWith('TIMESTAMP') ? `epoch_ms("${d.column_name}") AS "${d.column_name}"` : `"${d.column_name}"`));
    const rows = (await conn.runAndReadAll(`SELECT ${columns.join(', ')} FROM ${source}`)).getRowsJS().map((r) => r.map(cell));
    const meta = (await conn.runAndReadAll(`SELECT count(DISTINCT row_group_id) AS groups, list(DISTINCT compression) AS codecs FROM parquet_metadata(${sqlString(file)})`)).getRowObjectsJS()[0] as { groups: bigint; codecs: string[] };
    return { types, rows, rowGroups: Number(meta.groups), codecs: meta.codecs };
  } finally {
    conn.closeSync();
    instance.closeSync();
  }
}

/** A table's rows as SQLite holds them (in id order where there is one), and the DuckDB type each column should have. */
export function readSqlite(dbPath: string, table: string, where = '', ...params: unknown[]): { types: Record<string, string>; rows: Cell[][] } {
  const db = new Database(dbPath, { readonly: true, fileMustExist: true });
  try {
    const info = db.prepare(`PRAGMA table_info("${table}")`).all() as { name: string; type: string }[];
    const types = Object.fromEntries(info.map((c) => [c.name, expectedType(c.name, c.type)]));
    const order = info.some((c) => c.name === 'id') ? ' ORDER BY id' : '';
    // The archive lives in `frames` and compressed `frame_blocks`: its rows come through the frame reader.
    const raw =
      table === 'frames' && where === ''
        ? [...framesOf(db)].map((f) => [BigInt(f.id), f.sessionId === null ? null : BigInt(f.sessionId), BigInt(f.receivedAt), f.text, f.data ? Buffer.from(f.data) : null, BigInt(f.flags)])
        : (db.prepare(`SELECT * FROM "${table}" ${where}${order}`).raw(true).safeIntegers(true).all(...params) as unknown[][]);
    const rows = raw.map((r) => r.map(cell));
    return { types, rows };
  } finally {
    db.close();
  }
}

/** What README promises, spelled out independently of the exporter's own mapping. */
function expectedType(column: string, declared: string): string {
  const t = declared.toUpperCase();
  if (t.includes('INT')) return ['received_at', 'ts', 'started_at', 'ended_at', 'updated_at'].includes(column) ? 'TIMESTAMP WITH TIME ZONE' : 'BIGINT';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'VARCHAR';
  if (t.includes('BLOB') || t === '') return 'BLOB';
  return 'DOUBLE';
}
