/**
 * Delta rows encoded for multi-row INSERTs: consecutive updates of one table share a chunk of up
 * to ROWS_PER_INSERT rows whose columns are the union of the rows' fields (absent ones NULL), and
 * every value goes into the batch's ValueStream. Keys are interned: a row carries the key's number
 * and the writer keeps the table of keys.
 */
import type { MarketUpdate } from '../../../shared/market.js';
import { ACTIVES_DESCRIPTOR, LEADING } from './schema.js';
import type { Statements, TableStatements } from './statements.js';
import { pushMeta, toSql } from './stored-values.js';
import { ValueStream, type EncodedValues } from './value-stream.js';
import { ROWS_PER_INSERT, type DeltaChunk } from './write-batch.js';

const LEAD = LEADING.length;

/** Consecutive rows of one table waiting to become one multi-row INSERT. */
interface OpenChunk {
  table: TableStatements;
  rows: number;
  /** The union of the rows' field columns, as two 30-bit masks. */
  lo: number;
  hi: number;
  /** LEAD values per row. */
  lead: unknown[];
  /** Row r's present columns are pos[start[r] .. start[r + 1]), ascending, with values in vals. */
  start: number[];
  pos: number[];
  vals: unknown[];
}

export class DeltaChunks {
  private chunks: DeltaChunk[] = [];
  private readonly values = new ValueStream();
  private readonly keyIds = new Map<string, number>();
  private newKeys: string[] = [];
  private open: OpenChunk | null = null;

  constructor(private readonly statements: Statements) {}

  /** Adds the delta row of one update, and the child rows of a nested one (in a chunk of its own). */
  add(t: TableStatements, u: MarketUpdate, frameIdx: number, receivedAt: number): void {
    const nested = t.child !== null && Boolean(u.book || u.actives || u.screener || u.candles);
    let c = this.open;
    if (c && (c.table !== t || c.rows === ROWS_PER_INSERT || nested)) {
      this.closeChunk();
      c = null;
    }
    if (!c) c = this.open = { table: t, rows: 0, lo: 0, hi: 0, lead: [], start: [0], pos: [], vals: [] };

    c.lead.push(frameIdx, receivedAt, u.ts, u.key);
    pushMeta(c.lead, u.meta);
    const from = c.pos.length;
    let sorted = true;
    for (const name in u.fields) {
      const i = t.index.get(name);
      if (i === undefined) continue;
      if (c.pos.length > from && i < c.pos[c.pos.length - 1]!) sorted = false;
      c.pos.push(i);
      c.vals.push(toSql(u.fields[name]));
    }
    if (u.actives) {
      for (const column of ACTIVES_DESCRIPTOR) {
        const i = t.index.get(column.name)!;
        if (c.pos.length > from && i < c.pos[c.pos.length - 1]!) sorted = false;
        c.pos.push(i);
        c.vals.push(column.value(u.actives));
      }
    }
    // Usually already ascending (decoded in wire order); union tables can interleave.
    if (!sorted) sortRange(c.pos, c.vals, from, c.pos.length);
    for (let k = from; k < c.pos.length; k++) {
      const i = c.pos[k]!;
      if (i < 30) c.lo |= 1 << i;
      else c.hi |= 1 << (i - 30);
    }
    c.start.push(c.pos.length);
    c.rows++;
    if (nested) {
      this.closeChunk();
      this.chunks[this.chunks.length - 1]!.children = { stmt: t.child!, rows: childRows(u) };
    }
  }

  /** The chunks so far, their values, and the keys first seen since the last take. */
  take(): { chunks: DeltaChunk[]; values: EncodedValues; keys: string[] } {
    this.closeChunk();
    const taken = { chunks: this.chunks, values: this.values.take(), keys: this.newKeys };
    this.chunks = [];
    this.newKeys = [];
    return taken;
  }

  private closeChunk(): void {
    const c = this.open;
    if (!c) return;
    this.open = null;
    const cols = columnsOf(c.lo, c.hi);
    const v = this.values;
    for (let r = 0; r < c.rows; r++) {
      const lead = r * LEAD;
      v.frame(c.lead[lead] as number);
      v.value(c.lead[lead + 1]);
      v.value(c.lead[lead + 2]);
      v.key(this.keyId(c.lead[lead + 3] as string));
      for (let i = 4; i < LEAD; i++) v.value(c.lead[lead + i]);
      let k = c.start[r]!;
      const end = c.start[r + 1]!;
      for (const col of cols) {
        if (k < end && c.pos[k] === col) v.value(c.vals[k++]);
        else v.value(null);
      }
    }
    this.chunks.push({ stmt: this.statements.deltaInsert(c.table, c.lo, c.hi, cols, c.rows), rows: c.rows, width: LEAD + cols.length });
  }

  private keyId(key: string): number {
    let id = this.keyIds.get(key);
    if (id === undefined) {
      id = this.keyIds.size;
      this.keyIds.set(key, id);
      this.newKeys.push(key);
    }
    return id;
  }
}

function columnsOf(lo: number, hi: number): number[] {
  const cols: number[] = [];
  for (let i = 0; i < 30; i++) if (lo & (1 << i)) cols.push(i);
  for (let i = 0; i < 30; i++) if (hi & (1 << i)) cols.push(30 + i);
  return cols;
}

/** Insertion sort of pos[from..to) carrying vals along (a handful of entries). */
function sortRange(pos: number[], vals: unknown[], from: number, to: number): void {
  for (let i = from + 1; i < to; i++) {
    const p = pos[i]!;
    const v = vals[i];
    let j = i - 1;
    while (j >= from && pos[j]! > p) {
      pos[j + 1] = pos[j]!;
      vals[j + 1] = vals[j];
      j--;
    }
    pos[j + 1] = p;
    vals[j + 1] = v;
  }
}

/** Child rows of a nested update, each led by a placeholder for its parent row's id. */
function childRows(u: MarketUpdate): unknown[][] {
  const rows: unknown[][] = [];
  if (u.book) {
    for (const [side, levels] of [['bid', u.book.bids], ['ask', u.book.asks]] as const) {
      levels.forEach((l, i) => rows.push([0, side, i, l.price, l.size, l.count, JSON.stringify(l.entries)]));
    }
  } else if (u.actives) {
    for (const g of u.actives.groups) g.entries.forEach((e, i) => rows.push([0, g.groupId, i + 1, e.symbol, e.description, e.volume, e.percent]));
  } else if (u.screener) {
    u.screener.forEach((s, i) => rows.push([0, i + 1, s.symbol, s.description, s.lastPrice, s.netChange, s.netPercentChange, s.marketShare, s.totalVolume, s.volume, s.trades]));
  } else if (u.candles) {
    for (const c of u.candles) rows.push([0, c.time, c.open, c.high, c.low, c.close, c.volume]);
  }
  return rows;
}
