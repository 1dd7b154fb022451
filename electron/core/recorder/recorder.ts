/**
 * The recorder: every frame verbatim, one delta row per update, merged latest rows and nested child
 * rows, written in batched transactions (every ~100 ms or N rows) with prepared statements and WAL,
 * so commits never bound throughput and a killed process leaves a database that opens.
 */
import { statSync } from 'node:fs';
import type Database from 'better-sqlite3';
import type { FieldValue, MarketUpdate } from '../../../shared/market.js';
import { tableName } from '../../../shared/protocol/services.js';
import { openDatabase } from '../sqlite/open-database.js';
import { describeOpenFailure, RecorderError } from './errors.js';
import { LEADING, META_COLUMNS, SCHEMA_VERSION, SERVICE_TABLES, schemaSql, type ServiceTable } from './schema.js';

export { RecorderError };

export interface RecorderOptions {
  flushIntervalMs?: number;
  maxBatchRows?: number;
  onError?: (err: Error) => void;
  /** Told after every commit how many frames (in record order) it made durable. */
  onCommit?: (info: { frames: number; committedAt: number }) => void;
}

export interface RecordedFrame {
  sessionId: number;
  receivedAt: number;
  text: string;
  updates: readonly MarketUpdate[];
}

export interface RecorderStats {
  frames: number;
  rows: number;
  pendingFrames: number;
  commits: number;
  lastCommitAt: number | null;
  dbBytes: number;
}

interface TableWriter {
  info: ServiceTable;
  /** INSERT statements by the set of field columns present (as two 30-bit masks): a delta binds only what it carries. */
  inserts: Map<number, Map<number, Database.Statement>>;
  latest: Database.Statement;
  readLatest: Database.Statement;
  child: Database.Statement | null;
  /** Field name → position among the field columns. */
  index: Map<string, number>;
  /** Merged latest row per key: [key, updated_at, ts, seq, delayed, asset_main_type, asset_sub_type, cusip, ...fields]. */
  latestRows: Map<string, unknown[]>;
  dirty: Set<string>;
}

/** Latest rows are rewritten at most this often: they are a convenience view; delta rows are the record. */
const LATEST_EVERY_MS = 1000;
const LATEST_FIXED = 8;

const q = (n: string) => `"${n}"`;

const ACTIVES_DESCRIPTOR: Record<string, (a: NonNullable<MarketUpdate['actives']>) => unknown> = {
  actives_id: (a) => a.id,
  sample_duration: (a) => a.sampleDuration,
  start_time: (a) => a.startTime,
  display_time: (a) => a.displayTime,
};

function toSql(v: FieldValue | undefined): unknown {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

export class Recorder {
  private readonly writers = new Map<string, TableWriter | null>();
  private buffer: RecordedFrame[] = [];
  private pendingRows = 0;
  private readonly counts = { frames: 0, rows: 0, commits: 0 };
  private lastCommitAt: number | null = null;
  private lastLatestAt = 0;
  private closing = false;
  private readonly timer: NodeJS.Timeout;
  private closed = false;
  private readonly insertFrame: Database.Statement;
  private readonly flushTx: () => void;

  private constructor(
    private readonly db: Database.Database,
    readonly path: string,
    private readonly opts: Required<Pick<RecorderOptions, 'flushIntervalMs' | 'maxBatchRows'>> & RecorderOptions,
  ) {
    this.insertFrame = db.prepare('INSERT INTO frames (session_id, received_at, text) VALUES (?, ?, ?)');
    this.flushTx = db.transaction(() => this.writeBuffer());
    this.timer = setInterval(() => this.tryFlush(), opts.flushIntervalMs);
    this.timer.unref();
  }

  static open(path: string, opts: RecorderOptions = {}): Recorder {
    let db: Database.Database;
    try {
      db = openDatabase(path);
    } catch (err) {
      throw describeOpenFailure(path, err);
    }
    try {
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma('busy_timeout = 5000');
      Recorder.migrate(db, path);
    } catch (err) {
      db.close();
      throw err instanceof RecorderError ? err : describeOpenFailure(path, err);
    }
    return new Recorder(db, path, { flushIntervalMs: opts.flushIntervalMs ?? 100, maxBatchRows: opts.maxBatchRows ?? 5000, ...opts });
  }

  private static migrate(db: Database.Database, path: string): void {
    const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
    if (tables.length > 0 && !tables.includes('meta')) {
      throw new RecorderError(`${path} is a SQLite database but not a Tapedeck one; choose another file`);
    }
    const version = tables.includes('meta')
      ? Number(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get() ?? 0)
      : 0;
    if (version > SCHEMA_VERSION) {
      throw new RecorderError(`${path} was written by a newer Tapedeck (schema ${version}; this one knows ${SCHEMA_VERSION})`);
    }
    db.transaction(() => {
      // Version 1 is the first schema; later versions add their steps here, in order.
      for (const sql of schemaSql()) db.exec(sql);
      db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('created_at', ?)").run(String(Date.now()));
      db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)").run(String(SCHEMA_VERSION));
    })();
  }

  beginSession(info: { provider: string; dialect: string; url: string; startedAt?: number }): number {
    const r = this.db
      .prepare('INSERT INTO sessions (provider, dialect, url, started_at) VALUES (?, ?, ?, ?)')
      .run(info.provider, info.dialect, info.url, info.startedAt ?? Date.now());
    return Number(r.lastInsertRowid);
  }

  endSession(id: number, reason: string, endedAt = Date.now()): void {
    this.tryFlush();
    this.db.prepare('UPDATE sessions SET ended_at = ?, end_reason = ? WHERE id = ?').run(endedAt, reason, id);
  }

  record(frame: RecordedFrame): void {
    if (this.closed) throw new RecorderError('the recorder is closed');
    this.buffer.push(frame);
    this.pendingRows += frame.updates.length + 1;
    if (this.pendingRows >= this.opts.maxBatchRows) this.tryFlush();
  }

  /** Commits everything buffered in one transaction; on failure the batch is kept for the next try. */
  flush(): void {
    if (this.buffer.length === 0) return;
    this.flushTx();
    this.counts.commits++;
    this.lastCommitAt = Date.now();
    const frames = this.buffer.length;
    this.buffer = [];
    this.pendingRows = 0;
    this.opts.onCommit?.({ frames, committedAt: this.lastCommitAt });
  }

  private tryFlush(): void {
    try {
      this.flush();
    } catch (err) {
      // The in-memory latest rows may hold values of the failed batch; reread them from the database.
      for (const w of this.writers.values()) {
        w?.latestRows.clear();
        w?.dirty.clear();
      }
      this.opts.onError?.(err as Error);
    }
  }

  private writer(service: string): TableWriter | null {
    let w = this.writers.get(service);
    if (w !== undefined) return w;
    const info = SERVICE_TABLES.get(tableName(service));
    if (!info) {
      this.writers.set(service, null);
      return null;
    }
    const latestCols = ['key', 'updated_at', 'ts', ...META_COLUMNS.map((c) => c.name), ...info.fields.map((c) => c.name)];
    const latestTable = q(`${info.table}_latest`);
    w = {
      info,
      inserts: new Map(),
      latest: this.db.prepare(`INSERT OR REPLACE INTO ${latestTable} (${latestCols.map(q).join(', ')}) VALUES (${latestCols.map(() => '?').join(', ')})`),
      readLatest: this.db.prepare(`SELECT ${latestCols.map(q).join(', ')} FROM ${latestTable} WHERE key = ?`).raw(true),
      child: info.child
        ? this.db.prepare(`INSERT INTO ${q(info.child.table)} (${info.child.columns.map((c) => q(c.name)).join(', ')}) VALUES (${info.child.columns.map(() => '?').join(', ')})`)
        : null,
      index: new Map(info.fields.map((c, i) => [c.name, i])),
      latestRows: new Map(),
      dirty: new Set(),
    };
    this.writers.set(service, w);
    return w;
  }

  private insertFor(w: TableWriter, present: number[]): Database.Statement {
    // Field positions as bit masks: no string is built per row on this hot path.
    let lo = 0;
    let hi = 0;
    for (const i of present) {
      if (i < 30) lo |= 1 << i;
      else hi |= 1 << (i - 30);
    }
    let byHi = w.inserts.get(lo);
    if (!byHi) {
      byHi = new Map();
      w.inserts.set(lo, byHi);
    }
    let stmt = byHi.get(hi);
    if (!stmt) {
      const names = [...LEADING.map((c) => c.name), ...present.map((i) => w.info.fields[i]!.name)];
      stmt = this.db.prepare(`INSERT INTO ${q(w.info.table)} (${names.map(q).join(', ')}) VALUES (${names.map(() => '?').join(', ')})`);
      byHi.set(hi, stmt);
    }
    return stmt;
  }

  private writeBuffer(): void {
    let rows = 0;
    const present: number[] = [];
    const values: unknown[] = [];
    for (const frame of this.buffer) {
      const frameId = this.insertFrame.run(frame.sessionId, frame.receivedAt, frame.text).lastInsertRowid;
      for (const u of frame.updates) {
        const w = this.writer(u.service);
        if (!w) continue;
        present.length = 0;
        values.length = 0;
        for (const name in u.fields) {
          const i = w.index.get(name);
          if (i !== undefined) present.push(i);
        }
        if (u.actives) for (const n of ['actives_id', 'sample_duration', 'start_time', 'display_time']) present.push(w.index.get(n)!);
        // Usually already ascending (decoded in wire order); union tables can interleave.
        for (let i = 1; i < present.length; i++) {
          if (present[i]! < present[i - 1]!) {
            present.sort((a, b) => a - b);
            break;
          }
        }
        const meta = u.meta;
        const p: unknown[] = [
          frameId,
          frame.receivedAt,
          u.ts,
          u.key,
          meta.seq ?? null,
          meta.delayed === undefined ? null : meta.delayed ? 1 : 0,
          meta.assetMainType ?? null,
          meta.assetSubType ?? null,
          meta.cusip ?? null,
        ];
        for (const i of present) {
          const name = w.info.fields[i]!.name;
          const v = u.actives && ACTIVES_DESCRIPTOR[name] ? ACTIVES_DESCRIPTOR[name](u.actives) : toSql(u.fields[name]);
          p.push(v);
          values.push(v);
        }
        const id = this.insertFor(w, present).run(p).lastInsertRowid;
        rows++;
        if (w.child) this.writeChildren(w.child, id, u);
        this.mergeLatest(w, u, frame.receivedAt, p, present, values);
      }
    }
    const now = Date.now();
    if (this.closing || now - this.lastLatestAt >= LATEST_EVERY_MS) {
      this.lastLatestAt = now;
      this.writeLatest();
    }
    this.counts.frames += this.buffer.length;
    this.counts.rows += rows;
  }

  /** Merges one update into the in-memory latest row (loading the stored one on first touch). */
  private mergeLatest(w: TableWriter, u: MarketUpdate, receivedAt: number, p: unknown[], present: number[], values: unknown[]): void {
    let row = w.latestRows.get(u.key);
    if (!row) {
      row = (w.readLatest.get(u.key) as unknown[] | undefined) ?? new Array(LATEST_FIXED + w.info.fields.length).fill(null);
      w.latestRows.set(u.key, row);
    } else if (!w.info.merges) {
      row.fill(null);
    }
    row[0] = u.key;
    row[1] = receivedAt;
    row[2] = u.ts;
    for (let i = 0; i < 5; i++) if (p[4 + i] !== null) row[3 + i] = p[4 + i];
    for (let i = 0; i < present.length; i++) row[LATEST_FIXED + present[i]!] = values[i];
    w.dirty.add(u.key);
  }

  private writeLatest(): void {
    for (const w of this.writers.values()) {
      if (!w || w.dirty.size === 0) continue;
      for (const key of w.dirty) w.latest.run(w.latestRows.get(key)!);
      w.dirty.clear();
    }
  }

  private writeChildren(stmt: Database.Statement, updateId: number | bigint, u: MarketUpdate): void {
    if (u.book) {
      for (const [side, levels] of [['bid', u.book.bids], ['ask', u.book.asks]] as const) {
        levels.forEach((l, i) => stmt.run(updateId, side, i, l.price, l.size, l.count, JSON.stringify(l.entries)));
      }
    } else if (u.actives) {
      for (const g of u.actives.groups) {
        g.entries.forEach((e, i) => stmt.run(updateId, g.groupId, i + 1, e.symbol, e.description, e.volume, e.percent));
      }
    } else if (u.screener) {
      u.screener.forEach((s, i) =>
        stmt.run(updateId, i + 1, s.symbol, s.description, s.lastPrice, s.netChange, s.netPercentChange, s.marketShare, s.totalVolume, s.volume, s.trades),
      );
    } else if (u.candles) {
      for (const c of u.candles) stmt.run(updateId, c.time, c.open, c.high, c.low, c.close, c.volume);
    }
  }

  stats(): RecorderStats {
    let dbBytes = 0;
    for (const suffix of ['', '-wal']) {
      try {
        dbBytes += statSync(this.path + suffix).size;
      } catch {
        // No WAL file yet.
      }
    }
    return { ...this.counts, pendingFrames: this.buffer.length, lastCommitAt: this.lastCommitAt, dbBytes };
  }

  close(): void {
    if (this.closed) return;
    clearInterval(this.timer);
    this.closing = true;
    this.flush();
    this.flushTx(); // writes the latest rows still pending
    this.closed = true;
    try {
      this.db.pragma('optimize');
    } finally {
      this.db.close();
    }
  }
}
