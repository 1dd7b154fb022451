/**
 * How a SQLite column becomes a Parquet column: its declared type, read by SQLite's own affinity
 * rules, picks the Parquet type, and a converter turns each stored value into what the writer takes.
 * Every column is OPTIONAL (nullable): SQLite lets any column hold NULL unless declared otherwise,
 * and readers treat an optional column that has no nulls the same way.
 *
 * | affinity (declared type)          | Parquet                                   |
 * | INTEGER (…INT…)                   | INT64; the recorder's ms-epoch columns TIMESTAMP(MILLIS, UTC) |
 * | REAL (…REAL…, …FLOA…, …DOUB…)     | DOUBLE                                    |
 * | TEXT (…CHAR…, …CLOB…, …TEXT…)     | BYTE_ARRAY UTF8 (a string)                |
 * | BLOB (…BLOB…, or none declared)   | BYTE_ARRAY (bytes)                        |
 * | NUMERIC (anything else)           | DOUBLE                                    |
 *
 * SQLite stores what it is given when it cannot convert it (text in an INTEGER column). Such a value
 * is refused with its table and column named rather than written as something else.
 */
import type { ParquetWriter } from 'hyparquet-writer';
import type { TableColumn } from './table-select.js';

export type SchemaElement = ConstructorParameters<typeof ParquetWriter>[0]['schema'][number];

/** A value as better-sqlite3 returns it with safeIntegers: integers are bigints, so none loses digits. */
export type SqliteValue = null | bigint | number | string | Buffer;
export type ParquetValue = null | bigint | number | string | Uint8Array;

export type Affinity = 'INTEGER' | 'REAL' | 'TEXT' | 'BLOB' | 'NUMERIC';

export interface ParquetColumn {
  name: string;
  affinity: Affinity;
  element: SchemaElement;
  /** Throws when the stored value does not fit the column's Parquet type. */
  convert: (value: SqliteValue) => ParquetValue;
}

/**
 * Columns the recorder fills with milliseconds since the epoch (receive time, server time, session
 * start and end). As timestamps, DuckDB, pandas and polars show them as instants instead of
 * 13-digit numbers; the integer is kept exactly. Other integer time fields of the services keep
 * their numbers: some are ms since the epoch, others seconds since midnight (TD legacy), and
 * guessing by name would mislabel some of them.
 */
export const EPOCH_MS_COLUMNS: ReadonlySet<string> = new Set(['received_at', 'ts', 'started_at', 'ended_at', 'updated_at']);

/** SQLite's rules for a declared type (https://sqlite.org/datatype3.html, "Determination Of Column Affinity"). */
export function affinityOf(declaredType: string): Affinity {
  const t = declaredType.toUpperCase();
  if (t.includes('INT')) return 'INTEGER';
  if (t.includes('CHAR') || t.includes('CLOB') || t.includes('TEXT')) return 'TEXT';
  if (t.includes('BLOB') || t === '') return 'BLOB';
  if (t.includes('REAL') || t.includes('FLOA') || t.includes('DOUB')) return 'REAL';
  return 'NUMERIC';
}

export function parquetColumns(table: string, columns: readonly TableColumn[]): ParquetColumn[] {
  return columns.map(({ name, declaredType }) => {
    const affinity = affinityOf(declaredType);
    const refuse = (value: SqliteValue, parquetType: string): never => {
      const shown = Buffer.isBuffer(value) ? `${value.length} bytes` : `'${String(value).slice(0, 40)}'`;
      throw new Error(`${table}.${name} (declared ${declaredType || 'without a type'}) holds ${shown}, which a Parquet ${parquetType} column cannot hold`);
    };
    const optional = { name, repetition_type: 'OPTIONAL' } as const;
    switch (affinity) {
      case 'INTEGER': {
        const element: SchemaElement = EPOCH_MS_COLUMNS.has(name)
          ? { ...optional, type: 'INT64', converted_type: 'TIMESTAMP_MILLIS', logical_type: { type: 'TIMESTAMP', isAdjustedToUTC: true, unit: 'MILLIS' } }
          : { ...optional, type: 'INT64' };
        return { name, affinity, element, convert: (v) => toInt64(v, refuse) };
      }
      case 'REAL':
      case 'NUMERIC':
        return { name, affinity, element: { ...optional, type: 'DOUBLE' }, convert: (v) => toDouble(v, refuse) };
      case 'TEXT':
        return { name, affinity, element: { ...optional, type: 'BYTE_ARRAY', converted_type: 'UTF8' }, convert: (v) => toText(v, refuse) };
      case 'BLOB':
        return { name, affinity, element: { ...optional, type: 'BYTE_ARRAY' }, convert: toBytes };
    }
  });
}

type Refuse = (value: SqliteValue, parquetType: string) => never;

function toInt64(v: SqliteValue, refuse: Refuse): ParquetValue {
  if (v === null || typeof v === 'bigint') return v;
  // An integer-valued REAL that SQLite could not store as an integer (past 2^63) is refused below.
  if (typeof v === 'number' && Number.isInteger(v) && Math.abs(v) < 2 ** 63) return BigInt(v);
  return refuse(v, 'INT64');
}

function toDouble(v: SqliteValue, refuse: Refuse): ParquetValue {
  if (v === null || typeof v === 'number') return v;
  // A whole number in a REAL or NUMERIC column; a double, like SQLite's own CAST.
  if (typeof v === 'bigint') return Number(v);
  return refuse(v, 'DOUBLE');
}

function toText(v: SqliteValue, refuse: Refuse): ParquetValue {
  if (v === null || typeof v === 'string') return v;
  if (typeof v === 'bigint' || typeof v === 'number') return String(v);
  // Bytes in a TEXT column may not be UTF-8, which a Parquet string must be.
  return refuse(v, 'UTF-8 string');
}

function toBytes(v: SqliteValue): ParquetValue {
  if (v === null || Buffer.isBuffer(v)) return v;
  // A column without a declared type may hold anything; text and numbers go in as their UTF-8 text.
  return Buffer.from(String(v), 'utf8');
}
