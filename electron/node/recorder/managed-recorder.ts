/**
 * A Recorder kept within a StoragePolicy, as the engine sees it (its RecordSink):
 *
 * - daily files (`rotate: 'daily'`): at midnight New York time the open sessions rows end with
 *   reason 'rotated', the file is closed, and a file named with the new date takes over, with a
 *   sessions row for each live connection. What arrives while the next file opens is held and
 *   written to it, in order.
 * - retention: daily files older than `retainDays` are deleted; a single file loses its old rows
 *   in small steps (retention.ts).
 * - the free-space guard: below `minFreeMb` on the database's disk, the sessions rows end with
 *   reason 'paused: low disk space' and nothing is recorded (so nothing is held) until space
 *   returns, when new sessions rows begin. One line says each change.
 *
 * Time comes from `now` and free space from `freeSpace`, so tests can cross midnight or fill a disk.
 */
import type Database from 'better-sqlite3';
import { dirname } from 'node:path';
import { openDatabase } from '../sqlite/open-database.js';
import type { ConnectionInfo, DecodedResult, ReceivedFrame } from './batch-builder.js';
import { DiskGuard, freeSpace as realFreeSpace, type FreeSpace } from './disk-guard.js';
import { Recorder, type RecorderOptions, type RecorderStats } from './recorder.js';
import { pruneDailyFiles, pruneRowsStep, retentionCutoff } from './retention.js';
import type { StoragePolicy } from './storage-policy.js';
import { dailyPath, tradingDay } from './trading-day.js';
import type { AlertRow, PriceHistoryRow } from './write-batch.js';

export const ROTATED_END_REASON = 'rotated';
export const LOW_SPACE_END_REASON = 'paused: low disk space';

/** How often free space is checked and a retention step runs. */
export const CHECK_EVERY_MS = 5_000;
/** Calls held while the next daily file opens; past this the oldest are dropped (and said). */
const MAX_HELD = 200_000;

type AnyRecorder = Recorder<void> | Recorder<Promise<void>>;

type Held =
  | { kind: 'archive'; frame: ReceivedFrame }
  | { kind: 'decoded'; result: DecodedResult }
  | { kind: 'begin'; info: ConnectionInfo }
  | { kind: 'end'; connectionId: number; reason: string; endedAt: number };

export interface ManagedRecorderOptions extends Pick<RecorderOptions, 'onError' | 'onCommit'> {
  /** The database file; with daily rotation, the name the dated files are made from. */
  path: string;
  policy: StoragePolicy;
  /** One line for each pause, resume, rotation and retention removal. */
  onNotice?: (line: string) => void;
  now?: () => number;
  freeSpace?: FreeSpace;
  /** Opens a recorder on a file (default: with a writer thread). */
  openRecorder?: (path: string, opts: RecorderOptions) => Promise<AnyRecorder> | AnyRecorder;
  /** Default CHECK_EVERY_MS; 0: no timer (tests call check()). */
  checkEveryMs?: number;
}

export class ManagedRecorder {
  private current: AnyRecorder | null = null;
  private day: string;
  /** Connections begun and not ended, to end and begin again around a rotation or a pause. */
  private readonly connections = new Map<number, ConnectionInfo>();
  /** Calls waiting for the next daily file to open; null when none is opening. */
  private held: Held[] | null = null;
  /** Settles when the next daily file has opened (or failed to). */
  private switching: Promise<void> | null = null;
  private droppedWhileHeld = 0;
  /** Where the last archived frame went: its decoded rows follow it there. */
  private lastFrameKept = true;
  private readonly guard: DiskGuard;
  private readonly timer: NodeJS.Timeout | null;
  private pruneDb: Database.Database | null = null;
  private closed = false;
  private readonly now: () => number;

  private constructor(private readonly opts: ManagedRecorderOptions) {
    this.now = opts.now ?? Date.now;
    this.day = tradingDay(this.now());
    this.guard = new DiskGuard(dirname(opts.path), opts.policy.minFreeMb * 1024 * 1024, opts.freeSpace ?? realFreeSpace);
    const every = opts.checkEveryMs ?? CHECK_EVERY_MS;
    this.timer = every > 0 ? setInterval(() => this.check(), every) : null;
    this.timer?.unref();
  }

  /** Opens the file for today (or the single file); rejects like Recorder.openThreaded when it cannot be used. */
  static async open(opts: ManagedRecorderOptions): Promise<ManagedRecorder> {
    const m = new ManagedRecorder(opts);
    try {
      m.current = await m.openFile(m.pathFor(m.day));
      m.check();
    } catch (err) {
      if (m.timer) clearInterval(m.timer);
      throw err;
    }
    return m;
  }

  /** The file being written now. */
  get path(): string {
    return this.pathFor(this.day);
  }

  get paused(): boolean {
    return this.guard.paused;
  }

  /** Settles once a daily file being opened has taken over (tests wait for it). */
  settled(): Promise<void> {
    return this.switching ?? Promise.resolve();
  }

  get recoveredSessions(): number {
    return this.current?.recoveredSessions ?? 0;
  }

  beginConnection(info: ConnectionInfo): void {
    this.connections.set(info.connectionId, info);
    if (!this.guard.paused) this.route({ kind: 'begin', info });
  }

  endConnection(connectionId: number, reason: string, endedAt = this.now()): void {
    const known = this.connections.delete(connectionId);
    if (known && !this.guard.paused) this.route({ kind: 'end', connectionId, reason, endedAt });
  }

  archive(frame: ReceivedFrame): void {
    this.rotateIfDue();
    this.lastFrameKept = !this.guard.paused;
    if (this.lastFrameKept) this.route({ kind: 'archive', frame });
  }

  decoded(result: DecodedResult): void {
    if (this.lastFrameKept) this.route({ kind: 'decoded', result });
  }

  /**
   * What does not come from a frame (REST candles, alert firings, pauses) goes to the file being
   * written, unless recording is paused for disk space; during a rotation's switch it is dropped.
   */
  recordPriceHistory(rows: readonly PriceHistoryRow[]): void {
    if (!this.guard.paused && !this.held) this.current?.recordPriceHistory(rows);
  }

  alert(row: Omit<AlertRow, 'frameIdx'>): void {
    if (this.lastFrameKept && !this.held) this.current?.alert(row);
  }

  notePause(connectionId: number | null, paused: boolean, at = this.now()): void {
    if (!this.guard.paused && !this.held) this.current?.notePause(connectionId, paused, at);
  }

  stats(): RecorderStats {
    return this.current?.stats() ?? { frames: 0, rows: 0, pendingFrames: this.held?.length ?? 0, commits: 0, lastCommitAt: null, dbBytes: 0 };
  }

  /**
   * The periodic work, also run by the timer: free space (pause or resume), the day (rotate), and
   * one retention step.
   */
  check(): void {
    if (this.closed) return;
    const { change, freeBytes } = this.guard.check();
    const mb = (b: number) => `${Math.floor(b / 1024 / 1024).toLocaleString('en-US')} MB`;
    const dir = dirname(this.opts.path);
    if (change === 'paused') {
      const at = this.now();
      for (const id of this.connections.keys()) this.route({ kind: 'end', connectionId: id, reason: LOW_SPACE_END_REASON, endedAt: at });
      this.current?.flush();
      this.opts.onNotice?.(`recording paused: ${mb(freeBytes)} free on ${dir}, below the ${mb(this.opts.policy.minFreeMb * 1024 * 1024)} minimum; it resumes when space returns`);
    } else if (change === 'resumed') {
      const at = this.now();
      for (const info of this.connections.values()) this.route({ kind: 'begin', info: { ...info, startedAt: at } });
      this.opts.onNotice?.(`recording resumed: ${mb(freeBytes)} free on ${dir}`);
    }
    this.rotateIfDue();
    this.retentionStep();
  }

  /** Closes the file (committing what is left). */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    if (this.timer) clearInterval(this.timer);
    this.pruneDb?.close();
    this.pruneDb = null;
    // A file still opening takes what was held, then closes.
    await this.switching;
    await this.current?.close();
  }

  private pathFor(day: string): string {
    return this.opts.policy.rotate === 'daily' ? dailyPath(this.opts.path, day) : this.opts.path;
  }

  private async openFile(path: string): Promise<AnyRecorder> {
    const ro: RecorderOptions = { onError: this.opts.onError, onCommit: this.opts.onCommit, onNotice: this.opts.onNotice, typedRows: this.opts.policy.typedRows };
    return this.opts.openRecorder ? this.opts.openRecorder(path, ro) : Recorder.openThreaded(path, ro);
  }

  private route(h: Held): void {
    if (this.held) {
      if (this.held.length >= MAX_HELD) {
        this.held.shift();
        if (this.droppedWhileHeld++ === 0) this.opts.onError?.(new Error(`the next daily file is slow to open: dropping the oldest of ${MAX_HELD.toLocaleString('en-US')} held updates`));
      }
      this.held.push(h);
      return;
    }
    const r = this.current;
    if (!r) return;
    switch (h.kind) {
      case 'archive':
        r.archive(h.frame);
        break;
      case 'decoded':
        r.decoded(h.result);
        break;
      case 'begin':
        r.beginConnection(h.info);
        break;
      case 'end':
        r.endConnection(h.connectionId, h.reason, h.endedAt);
        break;
    }
  }

  private rotateIfDue(): void {
    if (this.opts.policy.rotate !== 'daily' || this.switching || this.closed) return;
    const at = this.now();
    const day = tradingDay(at);
    if (day === this.day) return;
    const old = this.current;
    if (!this.guard.paused) for (const id of this.connections.keys()) old?.endConnection(id, ROTATED_END_REASON, at);
    this.day = day;
    this.current = null;
    this.held = [];
    this.pruneDb?.close();
    this.pruneDb = null;
    const next = this.pathFor(day);
    this.switching = (async () => {
      // The new file first (a different file: no waiting on the old one's last commit and
      // compression), so little is held; the old one closes behind it.
      const closing = Promise.resolve(old?.close()).catch((err: Error) => this.opts.onError?.(err));
      let opened: AnyRecorder | null = null;
      try {
        opened = await this.openFile(next);
      } catch (err) {
        this.opts.onError?.(new Error(`cannot start ${next}: ${(err as Error).message}; nothing is recorded until it can be opened`));
      }
      const held = this.held ?? [];
      this.held = null;
      this.current = opened;
      if (!opened) return void (await closing);
      if (!this.guard.paused) for (const info of this.connections.values()) opened.beginConnection({ ...info, startedAt: at });
      for (const h of held) this.route(h);
      this.droppedWhileHeld = 0;
      this.opts.onNotice?.(`recording into ${next} (a new trading day)`);
      this.retentionStep();
      await closing;
    })().finally(() => (this.switching = null));
  }

  private retentionStep(): void {
    const days = this.opts.policy.retainDays;
    if (days === null || this.held || this.closed) return;
    try {
      if (this.opts.policy.rotate === 'daily') {
        for (const file of pruneDailyFiles(this.opts.path, this.day, days)) this.opts.onNotice?.(`removed ${file} (older than ${days} days)`);
        return;
      }
      this.pruneDb ??= openPruneConnection(this.opts.path);
      pruneRowsStep(this.pruneDb, retentionCutoff(this.now(), days));
    } catch (err) {
      // The file is busy or the folder unreadable: the next check tries again.
      this.opts.onError?.(new Error(`retention: ${(err as Error).message}`));
    }
  }
}

function openPruneConnection(path: string): Database.Database {
  const db = openDatabase(path, { fileMustExist: true });
  db.pragma('busy_timeout = 5000');
  return db;
}
