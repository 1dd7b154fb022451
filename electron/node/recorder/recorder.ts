/**
 * The recorder: every frame verbatim, one delta row per update, latest rows and nested child rows,
 * committed in batched transactions (every FLUSH_INTERVAL_MS or MAX_BATCH_ROWS rows) so commits
 * never bound throughput and a killed process leaves a database that opens.
 *
 * Batches are built here, on the calling thread, and committed by a sink: `Recorder.open` commits
 * on the calling thread (InlineSink: replay --out, tests), `Recorder.openThreaded` on a writer
 * thread of its own (ThreadSink: the app and `record`). One batch is in flight at a time; the
 * inline sink finishes it before returning, so everything below holds for both.
 */
import { BatchBuilder, type BatchBuilderOptions, type ConnectionInfo, type DecodedResult, type ReceivedFrame, type RecordedFrame } from './batch-builder.js';
import type { CommitInfo, WriterCounts } from './batch-writer.js';
import { dbBytes } from './db-size.js';
import { RecorderError, RecordingStoppedError } from './errors.js';
import { InlineSink } from './inline-sink.js';
import type { CloseOutcome, RecorderSink, WriteOutcome, WriterOptions } from './recorder-sink.js';
import { ThreadSink } from './thread-sink.js';
import { emptyBatch, isEmptyBatch, type AlertRow, type PriceHistoryRow } from './write-batch.js';

export { RecorderError, RecordingStoppedError, type ConnectionInfo, type DecodedResult, type ReceivedFrame, type RecordedFrame };

/** How often what has been recorded is committed, at the latest. */
export const FLUSH_INTERVAL_MS = 50;
/** Rows (frames and deltas) that start a commit before the timer does. */
export const MAX_BATCH_ROWS = 5_000;
/** Rows waiting for the writer past which the user is told recording is falling behind (~1–2 s of writing). */
export const BACKLOG_WARNING_ROWS = 500_000;
/**
 * Rows held in memory while commits fail (disk full, file locked): about 100 s at 10,000 updates/s
 * and a few hundred MB. Past it, newly received frames are not recorded until a commit succeeds
 * again, and the user is told how many were left out; what is held is written, in order, first.
 */
export const MAX_HELD_ROWS = 1_000_000;
/** The wait before the first retry of a failed commit; it doubles with every failure up to RETRY_MAX_MS. */
const RETRY_FIRST_MS = 100;
const RETRY_MAX_MS = 2000;

export interface RecorderOptions extends WriterOptions, BatchBuilderOptions {
  /** Default FLUSH_INTERVAL_MS. */
  flushIntervalMs?: number;
  /** Default MAX_BATCH_ROWS. */
  maxBatchRows?: number;
  /** Default BACKLOG_WARNING_ROWS. */
  backlogWarningRows?: number;
  /** Default MAX_HELD_ROWS. */
  maxHeldRows?: number;
  /**
   * Told once when commits start failing (they are retried with backoff), of a writer that fell
   * behind, of a failed closing commit, and with a RecordingStoppedError when recording stopped
   * for good (the file deleted or replaced, the writer thread died).
   */
  onError?: (err: Error) => void;
  /** Told once when commits succeed again after failing, with how many attempts failed. */
  onNotice?: (message: string) => void;
  /** Told after every commit how many frames (in record order) it made durable. */
  onCommit?: (info: CommitInfo) => void;
}

export interface RecorderStats {
  frames: number;
  rows: number;
  pendingFrames: number;
  commits: number;
  lastCommitAt: number | null;
  dbBytes: number;
}

/**
 * `Closing` is what close() returns: void for the inline sink (it throws at once if the last commit
 * fails), a promise for the thread sink, so each caller sees whether it must await.
 */
export class Recorder<Closing extends void | Promise<void> = void | Promise<void>> {
  private readonly builder: BatchBuilder;
  private readonly timer: NodeJS.Timeout;
  private readonly maxBatchRows: number;
  private readonly backlogWarningRows: number;
  private readonly maxHeldRows: number;
  private counts: WriterCounts = { frames: 0, rows: 0, commits: 0, lastCommitAt: null, pendingFrames: 0 };
  private inFlight = false;
  /** Recording was paused: the next batch carries the latest rows at once. */
  private latestNow = false;
  private inFlightFrames = 0;
  /**
   * Commits are failing: the writer holds the first failed batch and only it is retried (at
   * `retryAt`), while new rows wait here, so no transaction grows with every attempt.
   */
  private failure: { since: number; attempts: number } | null = null;
  private retryAt = 0;
  /** The frame archived last was left out (too much held while failing): its decoded rows go too. */
  private dropping = false;
  private droppedFrames = 0;
  /** Told the user recording is falling behind; said again only after the backlog halves. */
  private behind = false;
  private closed = false;
  private closing: void | Promise<void> = undefined;
  private dead: Error | null = null;
  /** Wakes a close() waiting for the batch in flight. */
  private settled: (() => void) | null = null;

  private constructor(
    private readonly sink: RecorderSink,
    readonly path: string,
    private readonly opts: RecorderOptions,
  ) {
    this.builder = new BatchBuilder({ typedRows: opts.typedRows });
    this.maxBatchRows = opts.maxBatchRows ?? MAX_BATCH_ROWS;
    this.backlogWarningRows = opts.backlogWarningRows ?? BACKLOG_WARNING_ROWS;
    this.maxHeldRows = opts.maxHeldRows ?? MAX_HELD_ROWS;
    sink.listen({ written: (o) => this.written(o), died: (err) => this.died(err) });
    this.timer = setInterval(() => this.send(), opts.flushIntervalMs ?? FLUSH_INTERVAL_MS);
    this.timer.unref();
  }

  /** Commits on the calling thread. Throws a RecorderError (one line) when the file cannot be used. */
  static open(path: string, opts: RecorderOptions = {}): Recorder<void> {
    return new Recorder<void>(InlineSink.open(path, writerOptions(opts)), path, opts);
  }

  /** Commits on a writer thread; rejects with a RecorderError (one line) when the file cannot be used. */
  static async openThreaded(path: string, opts: RecorderOptions = {}): Promise<Recorder<Promise<void>>> {
    return new Recorder<Promise<void>>(await ThreadSink.open(path, writerOptions(opts)), path, opts);
  }

  /**
   * Sessions rows a killed run had left open, which opening this recorder ended at their last
   * frame with end_reason 'process ended unexpectedly'.
   */
  get recoveredSessions(): number {
    return this.sink.recoveredSessions;
  }

  /** Logs a connection (a `sessions` row); frames recorded with its id belong to it. */
  beginConnection(info: ConnectionInfo): void {
    this.builder.beginConnection(info);
  }

  endConnection(connectionId: number, reason: string, endedAt = Date.now()): void {
    this.builder.endConnection(connectionId, reason, endedAt);
    this.send();
  }

  /**
   * Archives a frame exactly as received, before it is decoded (README: every frame is stored
   * before anything else). What it decodes to follows in decoded(), in the same tick: nothing is
   * sent to the writer in between, so the two land in one batch.
   */
  archive(frame: ReceivedFrame): void {
    if (this.closed) throw new RecorderError('the recorder is closed');
    if (this.dead) return;
    this.dropping = this.failure !== null && this.builder.pendingRows >= this.maxHeldRows;
    if (this.dropping) {
      this.droppedFrames++;
      return;
    }
    // A full batch goes first, so the frame and its rows are never split between two.
    if (this.builder.pendingRows >= this.maxBatchRows) this.send();
    this.builder.archive(frame);
  }

  /** The rows of what the frame archived last decoded to. */
  decoded(result: DecodedResult): void {
    if (this.closed) throw new RecorderError('the recorder is closed');
    if (this.dead || this.dropping) return;
    this.builder.decoded(result);
    this.afterAdd();
  }

  /** Candles fetched from the provider's REST price history, into `price_history`. */
  recordPriceHistory(rows: readonly PriceHistoryRow[]): void {
    if (this.closed) throw new RecorderError('the recorder is closed');
    if (this.dead || rows.length === 0) return;
    this.builder.priceHistory(rows);
    this.afterAdd();
  }

  /** An alert firing, stored in `alerts` with the frame being processed (the one that carried its update). */
  alert(row: Omit<AlertRow, 'frameIdx'>): void {
    if (this.closed || this.dead) return;
    this.builder.alert(row);
    this.afterAdd();
  }

  /** Recording paused (or resumed) by the user: noted in `recording_pauses`; the sessions row goes on. */
  notePause(connectionId: number | null, paused: boolean, at = Date.now()): void {
    if (this.closed || this.dead) return;
    this.builder.notePause({ connectionId, paused, at });
    // The latest rows go out with the next batch rather than within the second: nothing updates them while paused.
    if (paused) this.latestNow = true;
    this.send();
  }

  /** A frame and what it decoded to, at once (replay --out, tests). */
  record(frame: RecordedFrame): void {
    this.archive(frame);
    this.decoded(frame);
  }

  private afterAdd(): void {
    const pending = this.builder.pendingRows;
    if (pending >= this.maxBatchRows) this.send();
    // While commits fail the rows wait by design, and the user has been told so once.
    if (pending > this.backlogWarningRows && !this.behind && !this.failure) {
      // Nothing is dropped: the rows wait in memory. Said once until the writer catches up.
      this.behind = true;
      this.opts.onError?.(new RecorderError(`recording is falling behind: ${pending.toLocaleString('en-US')} rows are waiting to be written`));
    }
  }

  /** Sends what has been recorded to the writer now (unless a batch is in flight); the inline sink commits it before returning. */
  flush(): void {
    this.send();
  }

  stats(): RecorderStats {
    const c = this.counts;
    return {
      frames: c.frames,
      rows: c.rows,
      commits: c.commits,
      lastCommitAt: c.lastCommitAt,
      pendingFrames: c.pendingFrames + this.inFlightFrames + this.builder.pendingFrames,
      dbBytes: dbBytes(this.path),
    };
  }

  /** Commits what is left (latest rows included) and closes the database; throws if that last commit fails. */
  close(): Closing {
    if (this.closed) return (this.closing instanceof Promise ? this.closing.then(noop, noop) : undefined) as Closing;
    this.closed = true;
    clearInterval(this.timer);
    const closeSink = (): void | Promise<void> => {
      if (this.dead) return this.sink.abandon();
      // While commits fail, what is left joins the held batch for one last attempt.
      return andThen(this.sink.close(this.failure ? this.builder.take(true) : emptyBatch()), (c) => this.closedWith(c));
    };
    // The last rows are committed and reported like any other batch, before the writer's closing
    // work (compressing the frame tail, optimize), so nothing waiting for them waits for that too.
    const finish = (): void | Promise<void> => {
      if (this.dead || this.failure) return closeSink();
      const last = this.builder.take(true);
      if (isEmptyBatch(last)) return closeSink();
      this.inFlight = true;
      this.inFlightFrames = last.frames.texts.length;
      this.sink.write(last);
      return this.inFlight ? new Promise<void>((r) => (this.settled = r)).then(closeSink) : closeSink();
    };
    this.closing = this.inFlight ? new Promise<void>((r) => (this.settled = r)).then(finish) : finish();
    return this.closing as Closing;
  }

  private send(): void {
    if (this.inFlight || this.dead || this.closed) return;
    if (this.failure) {
      if (Date.now() < this.retryAt) return;
      this.inFlight = true;
      this.inFlightFrames = 0;
      this.sink.write(emptyBatch());
      return;
    }
    if (this.builder.pendingRows < this.backlogWarningRows / 2) this.behind = false;
    const batch = this.builder.take(this.latestNow);
    this.latestNow = false;
    if (isEmptyBatch(batch)) return;
    this.inFlight = true;
    this.inFlightFrames = batch.frames.texts.length;
    this.sink.write(batch);
  }

  private written(o: WriteOutcome): void {
    this.inFlight = false;
    this.inFlightFrames = 0;
    this.counts = o.counts;
    if (o.kind === 'committed') {
      if (this.failure) this.resumed();
      if (o.info.frames > 0) this.opts.onCommit?.(o.info);
    } else if (o.fatal) {
      this.died(new RecordingStoppedError(o.message));
      return;
    } else {
      const now = Date.now();
      if (!this.failure) {
        // Said once; the retries that follow are counted and summed up when a commit succeeds.
        this.failure = { since: now, attempts: 0 };
        this.opts.onError?.(new RecorderError(`recording paused, will retry: ${o.message}`));
      }
      this.failure.attempts++;
      this.retryAt = now + Math.min(RETRY_MAX_MS, RETRY_FIRST_MS * 2 ** (this.failure.attempts - 1));
    }
    if (this.settled) {
      const s = this.settled;
      this.settled = null;
      s();
    } else if (this.builder.pendingRows >= this.maxBatchRows) {
      // Rows piled up while the writer was busy: the next batch is already due.
      this.send();
    }
  }

  private resumed(): void {
    const f = this.failure!;
    this.failure = null;
    const seconds = ((Date.now() - f.since) / 1000).toFixed(1);
    const lost =
      this.droppedFrames > 0
        ? `${this.droppedFrames.toLocaleString('en-US')} frames received while ${this.maxHeldRows.toLocaleString('en-US')} rows waited were not recorded`
        : 'nothing was lost';
    this.droppedFrames = 0;
    this.opts.onNotice?.(`recording resumed: the database was written again after ${f.attempts} failed attempt${f.attempts === 1 ? '' : 's'} over ${seconds} s; ${lost}`);
  }

  private closedWith(c: CloseOutcome): void {
    this.counts = c.counts;
    if (c.error) {
      const err = new RecorderError(`the last batch could not be written: ${c.error}`);
      this.opts.onError?.(err);
      throw err;
    }
    if (c.info && c.info.frames > 0) this.opts.onCommit?.(c.info);
  }

  private died(err: Error): void {
    if (this.dead) return;
    const stopped = err instanceof RecordingStoppedError ? err : new RecordingStoppedError(err.message);
    this.dead = stopped;
    this.inFlight = false;
    this.opts.onError?.(stopped);
    const s = this.settled;
    this.settled = null;
    s?.();
  }
}

const noop = () => undefined;

function writerOptions(opts: RecorderOptions): WriterOptions {
  return { busyTimeoutMs: opts.busyTimeoutMs };
}

/** `f` of a value now (the inline sink answers at once), or of a promise once it resolves (the thread sink). */
function andThen<T, R>(x: T | Promise<T>, f: (v: T) => R): R | Promise<R> {
  return x instanceof Promise ? x.then(f) : f(x);
}
