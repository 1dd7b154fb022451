/**
 * The recorder's back half: owns the SQLite connection (WAL, synchronous=NORMAL), creates or checks
 * the schema, closes the sessions rows a killed run left open, and commits each WriteBatch in one
 * transaction. A batch that fails (disk full, file locked) is kept and written again, before
 * anything newer, at the next commit. One writer per file: a lock beside it (`FILE.lock`) is held
 * for the writer's lifetime. A file deleted or replaced under the writer stops it (see
 * file-identity.ts), with what it had committed saved under a new name.
 */
import { basename, dirname, extname, join } from 'node:path';
import type Database from 'better-sqlite3';
import { FileLock } from '../sqlite/file-lock.js';
import { openDatabase } from '../sqlite/open-database.js';
import { describeHeldDatabase, describeOpenFailure, RecorderError, RecordingStoppedError } from './errors.js';
import { FileIdentity } from './file-identity.js';
import { FrameArchive } from './frame-archive.js';
import { CRASH_END_REASON, SCHEMA_VERSION } from './schema.js';
import {
  ALERT_INSERT_SQL,
  BLOCKS_NEWEST_FIRST_SQL,
  PAUSE_BEGIN_SQL,
  PAUSE_END_SQL,
  createSchemaSql,
  FRAMES_NEWEST_FIRST_SQL,
  MIGRATIONS,
  OPEN_SESSIONS_SQL,
  PRICE_HISTORY_UPSERT_SQL,
  SESSION_BEGIN_SQL,
  SESSION_END_SQL,
} from './schema-sql.js';
import { TAG_FRAME, TAG_KEY, TAG_NUMBER, TAG_STRING } from './value-stream.js';
import { TableCreator } from './table-creator.js';
import { isEmptyBatch, type WriteBatch } from './write-batch.js';

export interface CommitInfo {
  /** Frames made durable by this commit, in the order they were recorded. */
  frames: number;
  rows: number;
  committedAt: number;
}

export interface WriterCounts {
  frames: number;
  rows: number;
  commits: number;
  lastCommitAt: number | null;
  /** Frames of failed batches waiting to be written again. */
  pendingFrames: number;
}

/**
 * Prepared statements kept at once. A 32-row INSERT costs SQLite ~100 KB, and column sets keep
 * turning up all day, so the least recently used are dropped and prepared again if they recur.
 */
const MAX_PREPARED = 128;

/**
 * A commit this small (frames and rows) means the writer keeps up with time to spare: it may then
 * compress a block of the frame archive. Bigger batches mean it is busy, and the block waits.
 */
const FOLD_WHEN_BATCH_BELOW = 2_500;
/** How long closing may spend compressing what is left of the frame archive (the next run goes on). */
const CLOSE_FOLD_MS = 2_000;

export class BatchWriter {
  /** Every statement's SQL by id, and the prepared ones in least-recently-used order. */
  private readonly sql = new Map<number, string>();
  private readonly prepared = new Map<number, Database.Statement>();
  /** `sessions` row ids by connection id. */
  private readonly sessionRows = new Map<number, number>();
  /** Which table each statement writes, by id. */
  private readonly tableOf = new Map<number, string>();
  private readonly tables: TableCreator;
  private readonly archive: FrameArchive;
  /** Frames and rows of the last commit (FOLD_WHEN_BATCH_BELOW). */
  private lastCommitSize = 0;
  /** The builder's interned keys, by id. */
  private readonly keys: string[] = [];
  /** One reusable parameter array per length: statement calls copy what they bind. */
  private readonly paramArrays = new Map<number, unknown[]>();
  private failed: WriteBatch[] = [];
  /** Set once the file was found deleted or replaced: every later write fails with it. */
  private stopped: RecordingStoppedError | null = null;
  private readonly counts: WriterCounts = { frames: 0, rows: 0, commits: 0, lastCommitAt: null, pendingFrames: 0 };
  private readonly insertSessionRow: Database.Statement;
  private readonly endSessionRow: Database.Statement;
  private readonly upsertPriceHistory: Database.Statement;
  private readonly insertAlert: Database.Statement;
  private readonly beginPause: Database.Statement;
  private readonly endPause: Database.Statement;
  private readonly commitTx: Database.Transaction<(batches: WriteBatch[]) => number>;

  private constructor(
    private readonly db: Database.Database,
    private readonly path: string,
    private readonly lock: FileLock,
    private readonly identity: FileIdentity,
    private readonly maxPrepared: number,
    /** Sessions rows a killed run had left open, closed when this writer opened the file. */
    readonly recoveredSessions: number,
  ) {
    this.tables = new TableCreator(db);
    this.archive = new FrameArchive(db);
    this.insertSessionRow = db.prepare(SESSION_BEGIN_SQL);
    this.endSessionRow = db.prepare(SESSION_END_SQL);
    this.upsertPriceHistory = db.prepare(PRICE_HISTORY_UPSERT_SQL);
    this.insertAlert = db.prepare(ALERT_INSERT_SQL);
    this.beginPause = db.prepare(PAUSE_BEGIN_SQL);
    this.endPause = db.prepare(PAUSE_END_SQL);
    this.commitTx = db.transaction((batches: WriteBatch[]) => {
      let rows = 0;
      for (const b of batches) rows += this.apply(b);
      return rows;
    });
  }

  static open(path: string, opts: { maxPrepared?: number; busyTimeoutMs?: number } = {}): BatchWriter {
    let db: Database.Database;
    try {
      db = openDatabase(path);
    } catch (err) {
      throw describeOpenFailure(path, err);
    }
    let lock: FileLock | null = null;
    try {
      // Before anything is written: a second writer is refused before it touches the file.
      lock = FileLock.tryAcquire(lockPathOf(path));
      if (!lock) throw describeHeldDatabase(path);
      // Pages freed (folded frames, retention) can then be handed back to the disk. Only a file
      // with no tables yet takes it, and only before its journal mode is set.
      if (db.prepare("SELECT count(*) FROM sqlite_master").pluck().get() === 0) db.pragma('auto_vacuum = INCREMENTAL');
      db.pragma('journal_mode = WAL');
      db.pragma('synchronous = NORMAL');
      db.pragma(`busy_timeout = ${opts.busyTimeoutMs ?? BUSY_TIMEOUT_MS}`);
      migrate(db, path);
      const recovered = closeAbandonedSessions(db);
      return new BatchWriter(db, path, lock, new FileIdentity(path), opts.maxPrepared ?? MAX_PREPARED, recovered);
    } catch (err) {
      db.close();
      lock?.release();
      throw err instanceof RecorderError ? err : describeOpenFailure(path, err);
    }
  }

  /** Commits the batch (after any earlier failed ones); on failure keeps it and rethrows. */
  write(batch: WriteBatch): CommitInfo {
    this.checkFile();
    if (isEmptyBatch(batch) && this.failed.length === 0) return { frames: 0, rows: 0, committedAt: Date.now() };
    // An empty batch is a retry of what is held: nothing to add.
    if (!isEmptyBatch(batch)) {
      this.prepare(batch);
      this.failed.push(batch);
    }
    const batches = this.failed;
    const connectionsBefore = new Set(this.sessionRows.keys());
    let rows: number;
    try {
      // BEGIN IMMEDIATE takes the write lock first, so a lock held elsewhere is waited out for
      // busy_timeout; a deferred BEGIN that reads first fails at once with SQLITE_BUSY when it upgrades.
      rows = this.commitTx.immediate(batches);
    } catch (err) {
      // The transaction rolled back: sessions rows it inserted are gone too, and tables it created.
      for (const c of [...this.sessionRows.keys()]) if (!connectionsBefore.has(c)) this.sessionRows.delete(c);
      this.tables.forget();
      this.prepared.clear();
      this.counts.pendingFrames = this.failed.reduce((n, b) => n + b.frames.texts.length, 0);
      throw err;
    }
    this.failed = [];
    const frames = batches.reduce((n, b) => n + b.frames.texts.length, 0);
    const committedAt = Date.now();
    this.counts.frames += frames;
    this.counts.rows += rows;
    this.counts.commits++;
    this.counts.lastCommitAt = committedAt;
    this.counts.pendingFrames = 0;
    this.lastCommitSize = frames + rows;
    return { frames, rows, committedAt };
  }

  /**
   * Work for a moment the writer has to spare, after a commit has been reported: compresses one
   * block of the frame archive when the last commit was small (the writer is keeping up).
   */
  maintain(): void {
    if (this.lastCommitSize < FOLD_WHEN_BATCH_BELOW) this.archive.foldIfDue();
  }

  stats(): WriterCounts {
    return { ...this.counts };
  }

  close(): void {
    try {
      // Compact at rest: what is left of the tail goes into blocks, and freed pages back to the disk.
      try {
        this.archive.foldAll(Date.now() + CLOSE_FOLD_MS);
        this.db.pragma('incremental_vacuum');
      } catch {
        // Left for the next run: the frames are safe in the tail.
      }
      this.db.pragma('optimize');
    } finally {
      this.db.close();
      this.lock.release();
    }
  }

  /**
   * Stops before writing into a file that is no longer at the path: the run would be lost with it
   * (deleted) or kept apart from it (replaced). What this connection can still read is saved under a
   * new name first, so nothing committed is lost.
   */
  private checkFile(): void {
    if (this.stopped) throw this.stopped;
    const change = this.identity.changed();
    if (!change) return;
    const copy = recoveredPathOf(this.path);
    let saved: string;
    try {
      this.db.prepare('VACUUM INTO ?').run(copy);
      saved = `what it had recorded is saved in ${copy}`;
    } catch (err) {
      saved = `what it had recorded could not be saved (${(err as Error).message})`;
    }
    this.stopped = new RecordingStoppedError(`${this.path} was ${change} while recording; recording stopped and ${saved}`);
    throw this.stopped;
  }

  private prepare(batch: WriteBatch): void {
    for (const k of batch.keys) this.keys.push(k);
    for (const s of batch.statements) {
      this.sql.set(s.id, s.sql);
      this.tableOf.set(s.id, s.table);
    }
  }

  private statement(id: number): Database.Statement {
    let s = this.prepared.get(id);
    if (s) {
      // Most recently used last.
      this.prepared.delete(id);
    } else {
      const sql = this.sql.get(id);
      if (sql === undefined) throw new RecorderError(`the recorder used statement ${id} before defining it`);
      this.tables.ensure(this.tableOf.get(id)!);
      s = this.db.prepare(sql);
      if (this.prepared.size >= this.maxPrepared) this.prepared.delete(this.prepared.keys().next().value!);
    }
    this.prepared.set(id, s);
    return s;
  }

  /** Statements prepared right now (for tests of the bound). */
  preparedCount(): number {
    return this.prepared.size;
  }

  /** Writes one batch inside the open transaction; returns the rows it inserted. */
  private apply(b: WriteBatch): number {
    for (const s of b.connectionsBegun) {
      this.sessionRows.set(s.connectionId, Number(this.insertSessionRow.run(s.provider, s.dialect, s.url, s.startedAt).lastInsertRowid));
    }
    const firstFrameId = this.archive.append(b.frames, (c) => this.sessionRow(c));

    let rows = 0;
    const { tags, nums, strs } = b.values;
    const keys = this.keys;
    let t = 0;
    let nn = 0;
    let ns = 0;
    for (const c of b.chunks) {
      const count = c.rows * c.width;
      let p = this.paramArrays.get(count);
      if (!p) this.paramArrays.set(count, (p = new Array<unknown>(count)));
      for (let i = 0; i < count; i++) {
        switch (tags[t++]) {
          case TAG_NUMBER:
            p[i] = nums[nn++];
            break;
          case TAG_STRING:
            p[i] = strs[ns++];
            break;
          case TAG_KEY:
            p[i] = keys[nums[nn++]!];
            break;
          case TAG_FRAME:
            p[i] = nums[nn++]! + firstFrameId;
            break;
          default:
            p[i] = null;
        }
      }
      const id = this.statement(c.stmt).run(p).lastInsertRowid;
      rows += c.rows;
      if (c.children) {
        const child = this.statement(c.children.stmt);
        for (const r of c.children.rows) {
          r[0] = id;
          child.run(r);
        }
      }
    }
    for (const l of b.latest) this.statement(l.stmt).run(l.params);
    // Batches written before price history existed (a failed batch kept across an upgrade cannot be) have none.
    for (const r of b.priceHistory ?? []) this.upsertPriceHistory.run(r);
    rows += b.priceHistory?.length ?? 0;
    for (const a of b.alerts) {
      const frameId = a.frameIdx === null ? null : firstFrameId + a.frameIdx;
      this.insertAlert.run(a.ruleId, a.rule, a.symbol, a.field, a.op, a.threshold, a.value, a.firedAt, a.receivedAt, frameId);
      rows++;
    }
    // Batches kept across an upgrade (none in practice) may predate pauses.
    for (const p of b.pauses ?? []) {
      if (p.paused) this.beginPause.run(p.connectionId === null ? null : this.sessionRow(p.connectionId), p.at);
      else this.endPause.run(p.at);
      rows++;
    }
    for (const e of b.connectionsEnded) {
      const id = this.sessionRows.get(e.connectionId);
      if (id !== undefined) this.endSessionRow.run(e.endedAt, e.reason, id);
    }
    return rows;
  }

  private sessionRow(connectionId: number): number | null {
    return this.sessionRows.get(connectionId) ?? null;
  }
}

/** How long a commit waits for a lock another program holds before it fails (and is retried later). */
export const BUSY_TIMEOUT_MS = 5000;

/** The lock file that makes one writer per database (sqlite/file-lock.ts). */
export function lockPathOf(dbPath: string): string {
  return `${dbPath}.lock`;
}

/** Where a deleted or replaced database's contents are saved: beside it, named by the time. */
function recoveredPathOf(dbPath: string): string {
  const ext = extname(dbPath);
  const stamp = new Date().toISOString().replace(/[-:]/g, '').replace('T', '-').slice(0, 15);
  return join(dirname(dbPath), `${basename(dbPath, ext)}.recovered-${stamp}${ext || '.db'}`);
}

function migrate(db: Database.Database, path: string): void {
  const tables = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").pluck().all() as string[];
  if (tables.length > 0 && !tables.includes('meta')) {
    throw new RecorderError(`${path} is a SQLite database but not a Tapedeck one; choose another file`);
  }
  const version = tables.includes('meta') ? Number(db.prepare("SELECT value FROM meta WHERE key = 'schema_version'").pluck().get() ?? 0) : 0;
  if (version > SCHEMA_VERSION) {
    throw new RecorderError(`${path} was written by a newer Tapedeck (schema ${version}; this one knows ${SCHEMA_VERSION})`);
  }
  db.transaction(() => {
    // An older file is brought up to date step by step; then anything missing (new tables) is created.
    if (version > 0) for (let v = version; v < SCHEMA_VERSION; v++) for (const sql of MIGRATIONS[v] ?? []) db.exec(sql);
    for (const sql of createSchemaSql()) db.exec(sql);
    db.prepare("INSERT OR IGNORE INTO meta (key, value) VALUES ('created_at', ?)").run(String(Date.now()));
    db.prepare("INSERT OR REPLACE INTO meta (key, value) VALUES ('schema_version', ?)").run(String(SCHEMA_VERSION));
  })();
}

/** How far before the oldest open session's start the search for its last frame goes on (clock steps). */
const CLOCK_SLACK_MS = 60_000;

/**
 * A run that was killed (kill -9, power loss) never ended its sessions rows. One recorder writes a
 * file at a time, so every row still open when a writer opens the file is such a row: it is ended
 * at the time of its last archived frame (its start when it has none), with CRASH_END_REASON.
 * The frames are read newest first and only back to the oldest open row's start, so a database
 * whose last run was killed costs a few rows to read, not the whole archive.
 */
function closeAbandonedSessions(db: Database.Database): number {
  const open = db.prepare(OPEN_SESSIONS_SQL).all() as { id: number; startedAt: number | null }[];
  if (open.length === 0) return 0;
  const lastFrameAt = new Map<number, number>();
  const oldestStart = open.reduce((min, s) => Math.min(min, s.startedAt ?? 0), Infinity);
  const wanted = new Set(open.map((s) => s.id));
  // The tail holds the newest frames, the blocks everything older.
  search: for (const sql of [FRAMES_NEWEST_FIRST_SQL, BLOCKS_NEWEST_FIRST_SQL]) {
    for (const f of db.prepare(sql).iterate() as Iterable<{ sessionId: number | null; receivedAt: number }>) {
      if (f.receivedAt < oldestStart - CLOCK_SLACK_MS) break search;
      if (f.sessionId === null || !wanted.has(f.sessionId)) continue;
      wanted.delete(f.sessionId);
      lastFrameAt.set(f.sessionId, f.receivedAt);
      if (wanted.size === 0) break search;
    }
  }
  const end = db.prepare(SESSION_END_SQL);
  db.transaction(() => {
    for (const s of open) end.run(lastFrameAt.get(s.id) ?? s.startedAt, CRASH_END_REASON, s.id);
  })();
  return open.length;
}
