/**
 * The database contract (README.md "Database"), derived from the service registry so the schema,
 * the codec and docs/database.md can never disagree. A service name that exists in both dialects
 * gets one table with the union of both dialects' columns.
 */
import type { Actives } from '../../../shared/market.js';
import type { FieldType } from '../../../shared/protocol/field-types.js';
import { allServices, tableName, type Structure } from '../../../shared/protocol/services.js';

/**
 * 2: `frames` gained `data` (the bytes of binary and non-UTF-8 frames) and `flags` (FRAME_FLAGS).
 * 3: `frame_blocks` holds the archive compressed (frame-block.ts), `frames` only the newest frames;
 * service tables are created when their first row arrives.
 * 4: new frame blocks are brotli (`codec` 2) of ~256 KB instead of deflate-raw of ~64 KB; blocks a
 * schema-3 recorder wrote keep codec 1 and are still read.
 */
export const SCHEMA_VERSION = 4;

/**
 * Bits of `frames.flags`. A frame is archived exactly as received: as text when it is valid UTF-8
 * text (`text`), otherwise as its bytes (`data`, with `text` NULL).
 */
export const FRAME_FLAGS = {
  /** A binary WebSocket frame; its bytes are in `data`. Never decoded. */
  binary: 1,
  /** A text frame whose bytes are not valid UTF-8; its bytes are in `data`. Decoded with U+FFFD for the invalid bytes. */
  notUtf8: 2,
  /** Decoded strings held lone surrogates (JSON escapes such as `\ud800`): U+FFFD in the service tables. */
  repairedText: 4,
  /** A text frame that was not decoded: not JSON, over the decoder's size limit, or the decoder failed. */
  notDecoded: 8,
} as const;

/**
 * `sessions.end_reason` of a row whose process died (kill -9, power loss) before it could end it;
 * the next recorder to open the file writes it, with the time of the row's last frame as `ended_at`.
 */
export const CRASH_END_REASON = 'process ended unexpectedly';

export type SqlType = 'INTEGER' | 'REAL' | 'TEXT';

export interface Column {
  name: string;
  type: SqlType;
}

export interface ServiceTable {
  table: string;
  structure: Structure;
  /** 'change' for level-one services (merged latest rows), otherwise replaced. */
  merges: boolean;
  /** Field columns in a fixed order (after the fixed leading columns). */
  fields: Column[];
  /** Child table for nested payloads, if any. */
  child: { table: string; columns: Column[] } | null;
}

/** Columns every service table starts with. */
export const LEADING: Column[] = [
  { name: 'frame_id', type: 'INTEGER' },
  { name: 'received_at', type: 'INTEGER' },
  { name: 'ts', type: 'INTEGER' },
  { name: 'key', type: 'TEXT' },
  { name: 'seq', type: 'INTEGER' },
  { name: 'delayed', type: 'INTEGER' },
  { name: 'asset_main_type', type: 'TEXT' },
  { name: 'asset_sub_type', type: 'TEXT' },
  { name: 'cusip', type: 'TEXT' },
];

export const META_COLUMNS = LEADING.slice(4);

/**
 * `alerts`: one row per alert firing, with the update that triggered it (`frame_id`, `received_at`).
 * The rule's id, symbol, field, operator and threshold are copied, so a row still reads after the
 * rule is edited or deleted; `rule` is the whole rule in the alert grammar.
 */
export const ALERT_COLUMNS: Column[] = [
  { name: 'rule_id', type: 'TEXT' },
  { name: 'rule', type: 'TEXT' },
  { name: 'symbol', type: 'TEXT' },
  { name: 'field', type: 'TEXT' },
  { name: 'op', type: 'TEXT' },
  { name: 'threshold', type: 'REAL' },
  { name: 'value', type: 'REAL' },
  { name: 'fired_at', type: 'INTEGER' },
  { name: 'received_at', type: 'INTEGER' },
  { name: 'frame_id', type: 'INTEGER' },
];

const SQL_TYPE: Record<Exclude<FieldType, 'json'>, SqlType> = { number: 'REAL', integer: 'INTEGER', string: 'TEXT', boolean: 'INTEGER' };

/** The actives descriptor's columns: how each is stored, and its value in a decoded ACTIVES_* update. */
export const ACTIVES_DESCRIPTOR: (Column & { value: (a: Actives) => string | number })[] = [
  { name: 'actives_id', type: 'TEXT', value: (a) => a.id },
  { name: 'sample_duration', type: 'INTEGER', value: (a) => a.sampleDuration },
  { name: 'start_time', type: 'TEXT', value: (a) => a.startTime },
  { name: 'display_time', type: 'TEXT', value: (a) => a.displayTime },
];

const CHILDREN: Partial<Record<Structure, { suffix: string; columns: Column[] }>> = {
  book: {
    suffix: '_levels',
    columns: [
      { name: 'update_id', type: 'INTEGER' },
      { name: 'side', type: 'TEXT' },
      { name: 'position', type: 'INTEGER' },
      { name: 'price', type: 'REAL' },
      { name: 'size', type: 'INTEGER' },
      { name: 'count', type: 'INTEGER' },
      { name: 'entries', type: 'TEXT' },
    ],
  },
  actives: {
    suffix: '_entries',
    columns: [
      { name: 'update_id', type: 'INTEGER' },
      { name: 'group_id', type: 'INTEGER' },
      { name: 'rank', type: 'INTEGER' },
      { name: 'symbol', type: 'TEXT' },
      { name: 'description', type: 'TEXT' },
      { name: 'volume', type: 'INTEGER' },
      { name: 'percent', type: 'REAL' },
    ],
  },
  screener: {
    suffix: '_items',
    columns: [
      { name: 'update_id', type: 'INTEGER' },
      { name: 'rank', type: 'INTEGER' },
      { name: 'symbol', type: 'TEXT' },
      { name: 'description', type: 'TEXT' },
      { name: 'last_price', type: 'REAL' },
      { name: 'net_change', type: 'REAL' },
      { name: 'net_percent_change', type: 'REAL' },
      { name: 'market_share', type: 'REAL' },
      { name: 'total_volume', type: 'INTEGER' },
      { name: 'volume', type: 'INTEGER' },
      { name: 'trades', type: 'INTEGER' },
    ],
  },
  'chart-history': {
    suffix: '_candles',
    columns: [
      { name: 'update_id', type: 'INTEGER' },
      { name: 'time', type: 'INTEGER' },
      { name: 'open', type: 'REAL' },
      { name: 'high', type: 'REAL' },
      { name: 'low', type: 'REAL' },
      { name: 'close', type: 'REAL' },
      { name: 'volume', type: 'REAL' },
    ],
  },
};

function buildTables(): Map<string, ServiceTable> {
  const tables = new Map<string, ServiceTable>();
  for (const spec of allServices()) {
    const table = tableName(spec.name);
    let t = tables.get(table);
    if (!t) {
      const child = CHILDREN[spec.structure];
      t = {
        table,
        structure: spec.structure,
        merges: spec.delivery === 'change',
        fields: spec.structure === 'actives' ? ACTIVES_DESCRIPTOR.map(({ name, type }) => ({ name, type })) : [],
        child: child ? { table: table + child.suffix, columns: child.columns } : null,
      };
      tables.set(table, t);
    }
    for (const f of spec.fields) {
      if (!f || f.type === 'json' || t.fields.some((c) => c.name === f.name)) continue;
      t.fields.push({ name: f.name, type: SQL_TYPE[f.type] });
    }
  }
  return tables;
}

export const SERVICE_TABLES: ReadonlyMap<string, ServiceTable> = buildTables();

// The recorder keys its INSERT statements by two 30-bit column masks.
for (const t of SERVICE_TABLES.values()) {
  if (t.fields.length > 60) throw new Error(`${t.table} has ${t.fields.length} field columns; the recorder handles at most 60`);
}
