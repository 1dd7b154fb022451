/**
 * What the recorder's front half (the batch builder, on the ingest thread) hands its back half (the
 * batch writer, which owns the SQLite connection, in the same thread or a worker of its own).
 * Plain data only, so a batch crosses threads by structured clone.
 *
 * Rows are grouped into multi-row INSERTs: one statement call per chunk of up to ROWS_PER_INSERT
 * rows of one table, which roughly halves SQLite's cost per row against one call per row.
 * The chunks' parameters travel as one ValueStream (typed arrays, transferred between threads).
 * Frame ids are not known to the builder: a delta row's `frame_id` is the frame's position in its
 * batch, and the writer adds the id the batch's first frame gets inside the transaction.
 */
import type { EncodedValues } from './value-stream.js';

/** Rows per multi-row INSERT; past ~32 the gain flattens and statements multiply. */
export const ROWS_PER_INSERT = 32;

export interface StatementDef {
  id: number;
  sql: string;
  /** The service table the statement writes: the writer creates it (and its companions) first. */
  table: string;
}

/** A connection began: the writer inserts its `sessions` row and maps the connection's id to it. */
export interface ConnectionBegin {
  /** The streamer client's number for the connection (docs/ARCHITECTURE.md, "one connection identity"). */
  connectionId: number;
  provider: string;
  dialect: string;
  url: string;
  startedAt: number;
}

export interface ConnectionEnd {
  connectionId: number;
  reason: string;
  endedAt: number;
}

/** `rows` rows of one table in one INSERT: the next rows × width values of the batch's value stream. */
export interface DeltaChunk {
  stmt: number;
  rows: number;
  width: number;
  /** Child rows of a single nested row (book levels, actives entries…), each starting with a placeholder for the row id. */
  children?: { stmt: number; rows: unknown[][] };
}

/** An alert firing to store in `alerts`. `frameIdx`: the triggering frame's position in its batch, or null. */
export interface AlertRow {
  ruleId: string;
  rule: string;
  symbol: string;
  field: string;
  op: string;
  threshold: number;
  value: number;
  firedAt: number;
  receivedAt: number;
  frameIdx: number | null;
}

export interface WriteBatch {
  /** Statements first used by this batch. */
  statements: StatementDef[];
  connectionsBegun: ConnectionBegin[];
  /** Frames in record order: `texts[i]` (null when archived as bytes), `data[i]` (the bytes, or null), `flags[i]` (FRAME_FLAGS). */
  frames: { connectionIds: number[]; receivedAt: number[]; texts: (string | null)[]; data: (Uint8Array | null)[]; flags: number[] };
  chunks: DeltaChunk[];
  values: EncodedValues;
  /** Keys first seen in this batch; the writer appends them to its key table. */
  keys: string[];
  /** `<service>_latest` rows, one statement call each. */
  latest: { stmt: number; params: unknown[] }[];
  connectionsEnded: ConnectionEnd[];
  /** `price_history` rows (REST candles), in PRICE_HISTORY_UPSERT_SQL's parameter order. */
  priceHistory: PriceHistoryRow[];
  alerts: AlertRow[];
  /** Recording paused or resumed by the user, in order (`recording_pauses`). */
  pauses: PauseEvent[];
}

/** A pause begins (paused) or ends; connectionId names the live connection, if any. */
export interface PauseEvent {
  connectionId: number | null;
  paused: boolean;
  at: number;
}

/** symbol, frequency (chart interval), datetime, open, high, low, close, volume, source, fetched_at. */
export type PriceHistoryRow = [string, string, number, number, number, number, number, number, string, number];

export function isEmptyBatch(b: WriteBatch): boolean {
  return b.frames.texts.length === 0 && b.connectionsBegun.length === 0 && b.connectionsEnded.length === 0 && b.latest.length === 0 && b.statements.length === 0
    && b.priceHistory.length === 0 && b.alerts.length === 0 && b.pauses.length === 0;
}

/** A batch with nothing in it: asks the writer to retry what it holds, adding nothing. */
export function emptyBatch(): WriteBatch {
  return {
    statements: [],
    connectionsBegun: [],
    frames: { connectionIds: [], receivedAt: [], texts: [], data: [], flags: [] },
    chunks: [],
    values: { tags: new Uint8Array(0), nums: new Float64Array(0), strs: [] },
    keys: [],
    latest: [],
    connectionsEnded: [],
    priceHistory: [],
    alerts: [],
    pauses: [],
  };
}
