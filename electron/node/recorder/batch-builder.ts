/**
 * The recorder's front half: turns decoded frames into WriteBatches of statement parameters, keeps
 * the merged latest row of every key in memory and emits the changed ones at most once a second.
 * Runs on the ingest thread and never touches SQLite, so the writer can live on a thread of its own.
 */
import type { FieldValue, MarketUpdate } from '../../../shared/market.js';
import { tableName } from '../../../shared/protocol/services.js';
import { LEADING, META_COLUMNS, SERVICE_TABLES, type ServiceTable } from './schema.js';
import { ValueStream } from './value-stream.js';
import { ROWS_PER_INSERT, type DeltaChunk, type SessionBegin, type SessionEnd, type StatementDef, type WriteBatch } from './write-batch.js';

export interface RecordedFrame {
  sessionId: number;
  receivedAt: number;
  text: string;
  updates: readonly MarketUpdate[];
}

/** Latest rows are rewritten at most this often: they are a convenience view; delta rows are the record. */
const LATEST_EVERY_MS = 1000;
/** [key, updated_at, ts, seq, delayed, asset_main_type, asset_sub_type, cusip] precede the fields. */
const LATEST_FIXED = 3 + META_COLUMNS.length;
const LEAD = LEADING.length;

const q = (n: string) => `"${n}"`;
const placeholders = (n: number) => `(${new Array<string>(n).fill('?').join(', ')})`;

const ACTIVES_DESCRIPTOR: Record<string, (a: NonNullable<MarketUpdate['actives']>) => unknown> = {
  actives_id: (a) => a.id,
  sample_duration: (a) => a.sampleDuration,
  start_time: (a) => a.startTime,
  display_time: (a) => a.displayTime,
};
const ACTIVES_COLUMNS = Object.keys(ACTIVES_DESCRIPTOR);

function toSql(v: FieldValue | undefined): unknown {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

interface TableState {
  info: ServiceTable;
  /** Field name → position among the field columns. */
  index: Map<string, number>;
  /** Delta INSERT statement ids by the field columns present (two 30-bit masks), then by row count. */
  inserts: Map<number, Map<number, number[]>>;
  latestStmt: number;
  childStmt: number | null;
  latestRows: Map<string, unknown[]>;
  dirty: Set<string>;
}

/** Consecutive rows of one table waiting to become one multi-row INSERT. */
interface OpenChunk {
  table: TableState;
  rows: number;
  lo: number;
  hi: number;
  /** LEAD values per row. */
  lead: unknown[];
  /** Row r's present columns are pos[start[r] .. start[r + 1]), ascending, with values in vals. */
  start: number[];
  pos: number[];
  vals: unknown[];
}

export class BatchBuilder {
  private readonly tables = new Map<string, TableState | null>();
  private nextStatement = 1;
  private nextSession = 1;
  private newStatements: StatementDef[] = [];
  private sessionsBegun: SessionBegin[] = [];
  private sessionsEnded: SessionEnd[] = [];
  private frames: WriteBatch['frames'] = { handles: [], receivedAt: [], texts: [] };
  private chunks: DeltaChunk[] = [];
  private readonly values = new ValueStream();
  private readonly keyIds = new Map<string, number>();
  private newKeys: string[] = [];
  private open: OpenChunk | null = null;
  private lastLatestAt = 0;
  /** Rows (frames and deltas) in the batch being built. */
  pendingRows = 0;

  get pendingFrames(): number {
    return this.frames.texts.length;
  }

  beginSession(info: { provider: string; dialect: string; url: string; startedAt?: number }): number {
    const handle = this.nextSession++;
    this.sessionsBegun.push({ handle, provider: info.provider, dialect: info.dialect, url: info.url, startedAt: info.startedAt ?? Date.now() });
    return handle;
  }

  endSession(handle: number, reason: string, endedAt = Date.now()): void {
    this.sessionsEnded.push({ handle, reason, endedAt });
  }

  add(frame: RecordedFrame): void {
    const frameIdx = this.frames.texts.length;
    this.frames.handles.push(frame.sessionId);
    this.frames.receivedAt.push(frame.receivedAt);
    this.frames.texts.push(frame.text);
    this.pendingRows++;
    for (const u of frame.updates) {
      const t = this.table(u.service);
      if (t) this.addUpdate(t, u, frameIdx, frame.receivedAt);
    }
  }

  /** Takes what has been built; latest rows are included when due (or always, when `final`). */
  take(final = false): WriteBatch {
    this.closeChunk();
    const now = Date.now();
    const latest: WriteBatch['latest'] = [];
    if (final || now - this.lastLatestAt >= LATEST_EVERY_MS) {
      this.lastLatestAt = now;
      for (const t of this.tables.values()) {
        if (!t || t.dirty.size === 0) continue;
        // A copy: the in-memory row keeps changing while the batch waits for its writer.
        for (const key of t.dirty) latest.push({ stmt: t.latestStmt, params: t.latestRows.get(key)!.slice() });
        t.dirty.clear();
      }
    }
    const batch: WriteBatch = {
      statements: this.newStatements,
      sessionsBegun: this.sessionsBegun,
      frames: this.frames,
      chunks: this.chunks,
      values: this.values.take(),
      keys: this.newKeys,
      latest,
      sessionsEnded: this.sessionsEnded,
    };
    this.newStatements = [];
    this.sessionsBegun = [];
    this.sessionsEnded = [];
    this.frames = { handles: [], receivedAt: [], texts: [] };
    this.chunks = [];
    this.newKeys = [];
    this.pendingRows = 0;
    return batch;
  }

  private define(sql: string): number {
    const id = this.nextStatement++;
    this.newStatements.push({ id, sql });
    return id;
  }

  private table(service: string): TableState | null {
    let t = this.tables.get(service);
    if (t !== undefined) return t;
    const info = SERVICE_TABLES.get(tableName(service));
    if (!info) {
      this.tables.set(service, null);
      return null;
    }
    const latestCols = ['key', 'updated_at', 'ts', ...META_COLUMNS.map((c) => c.name), ...info.fields.map((c) => c.name)];
    const latestTable = q(`${info.table}_latest`);
    // Level-one rows merge into what is stored (a field absent from this run keeps its value); others replace.
    const latestSql = info.merges
      ? `INSERT INTO ${latestTable} (${latestCols.map(q).join(', ')}) VALUES ${placeholders(latestCols.length)} ON CONFLICT(key) DO UPDATE SET ` +
        latestCols.slice(1).map((c) => (c === 'updated_at' || c === 'ts' ? `${q(c)} = excluded.${q(c)}` : `${q(c)} = coalesce(excluded.${q(c)}, ${q(c)})`)).join(', ')
      : `INSERT OR REPLACE INTO ${latestTable} (${latestCols.map(q).join(', ')}) VALUES ${placeholders(latestCols.length)}`;
    t = {
      info,
      index: new Map(info.fields.map((c, i) => [c.name, i])),
      inserts: new Map(),
      latestStmt: this.define(latestSql),
      childStmt: info.child
        ? this.define(`INSERT INTO ${q(info.child.table)} (${info.child.columns.map((c) => q(c.name)).join(', ')}) VALUES ${placeholders(info.child.columns.length)}`)
        : null,
      latestRows: new Map(),
      dirty: new Set(),
    };
    this.tables.set(service, t);
    return t;
  }

  private addUpdate(t: TableState, u: MarketUpdate, frameIdx: number, receivedAt: number): void {
    const nested = t.childStmt !== null && Boolean(u.book || u.actives || u.screener || u.candles);
    let c = this.open;
    if (c && (c.table !== t || c.rows === ROWS_PER_INSERT || nested)) {
      this.closeChunk();
      c = null;
    }
    if (!c) c = this.open = { table: t, rows: 0, lo: 0, hi: 0, lead: [], start: [0], pos: [], vals: [] };

    const meta = u.meta;
    c.lead.push(
      frameIdx,
      receivedAt,
      u.ts,
      u.key,
      meta.seq ?? null,
      meta.delayed === undefined ? null : meta.delayed ? 1 : 0,
      meta.assetMainType ?? null,
      meta.assetSubType ?? null,
      meta.cusip ?? null,
    );
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
      for (const name of ACTIVES_COLUMNS) {
        const i = t.index.get(name)!;
        if (c.pos.length > from && i < c.pos[c.pos.length - 1]!) sorted = false;
        c.pos.push(i);
        c.vals.push(ACTIVES_DESCRIPTOR[name]!(u.actives));
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
    this.pendingRows++;
    this.mergeLatest(t, u, receivedAt, c, from);
    if (nested) {
      const children = childRows(u);
      this.closeChunk();
      this.chunks[this.chunks.length - 1]!.children = { stmt: t.childStmt!, rows: children };
    }
  }

  private mergeLatest(t: TableState, u: MarketUpdate, receivedAt: number, c: OpenChunk, from: number): void {
    let row = t.latestRows.get(u.key);
    if (!row) {
      row = new Array<unknown>(LATEST_FIXED + t.info.fields.length).fill(null);
      t.latestRows.set(u.key, row);
    } else if (!t.info.merges) {
      row.fill(null);
    }
    row[0] = u.key;
    row[1] = receivedAt;
    row[2] = u.ts;
    const lead = c.lead;
    const base = lead.length - LEAD;
    for (let i = 4; i < LEAD; i++) if (lead[base + i] !== null) row[i - 1] = lead[base + i];
    for (let k = from; k < c.pos.length; k++) row[LATEST_FIXED + c.pos[k]!] = c.vals[k];
    t.dirty.add(u.key);
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
    this.chunks.push({ stmt: this.insertStatement(c.table, c.lo, c.hi, cols, c.rows), rows: c.rows, width: LEAD + cols.length });
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

  private insertStatement(t: TableState, lo: number, hi: number, cols: number[], rows: number): number {
    let byHi = t.inserts.get(lo);
    if (!byHi) t.inserts.set(lo, (byHi = new Map()));
    let byRows = byHi.get(hi);
    if (!byRows) byHi.set(hi, (byRows = []));
    let id = byRows[rows];
    if (id === undefined) {
      const names = [...LEADING.map((col) => col.name), ...cols.map((i) => t.info.fields[i]!.name)];
      const values = new Array<string>(rows).fill(placeholders(names.length)).join(', ');
      id = byRows[rows] = this.define(`INSERT INTO ${q(t.info.table)} (${names.map(q).join(', ')}) VALUES ${values}`);
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
