/**
 * The recorder with its SQLite half on a worker thread of its own: the ingest thread only builds
 * batches of statement parameters (BatchBuilder) and the worker commits them (BatchWriter), so on
 * two cores decoding and writing run side by side. One batch is in flight at a time; while the
 * writer commits it the next one grows, so batches get larger exactly when the writer is busy.
 */
import type { Worker } from 'node:worker_threads';
import { currentNativeBinding } from '../sqlite/open-database.js';
import { startWorker } from '../worker/start-worker.js';
import { BatchBuilder, type RecordedFrame } from './batch-builder.js';
import type { WriterCounts } from './batch-writer.js';
import { dbBytes } from './db-size.js';
import { RecorderError } from './errors.js';
import type { RecorderOptions, RecorderStats } from './recorder.js';
import { isEmptyBatch, type WriteBatch } from './write-batch.js';
import type { FromWriter, ToWriter, WriterConfig } from './writer-protocol.js';

/** Rows waiting for the writer past which the user is told recording is falling behind (~1–2 s of writing). */
const BACKLOG_WARNING_ROWS = 500_000;

export interface RecorderThreadOptions extends RecorderOptions {
  /** Default BACKLOG_WARNING_ROWS. */
  backlogWarningRows?: number;
}

export class RecorderThread {
  private readonly builder = new BatchBuilder();
  private readonly timer: NodeJS.Timeout;
  private inFlight = false;
  private closed = false;
  private dead: Error | null = null;
  private behind = false;
  private counts: WriterCounts = { frames: 0, rows: 0, commits: 0, lastCommitAt: null, pendingFrames: 0 };
  private inFlightFrames = 0;
  private onClosed: ((m: Extract<FromWriter, { kind: 'closed' }>) => void) | null = null;
  private settled: (() => void) | null = null;

  private constructor(
    private readonly worker: Worker,
    readonly path: string,
    private readonly opts: RecorderThreadOptions & { maxBatchRows: number; backlogWarningRows: number },
  ) {
    worker.on('message', (m: FromWriter) => this.onMessage(m));
    worker.on('error', (err) => this.fail(new RecorderError(`the recorder's writer stopped: ${err.message}`)));
    worker.on('exit', (code) => {
      if (!this.closed) this.fail(new RecorderError(`the recorder's writer exited (code ${code})`));
    });
    this.timer = setInterval(() => this.send(), opts.flushIntervalMs ?? 50);
    this.timer.unref();
  }

  /** Opens (creating or checking the schema) on the writer thread; rejects with the open failure's one line. */
  static open(path: string, opts: RecorderThreadOptions = {}): Promise<RecorderThread> {
    const worker = startWorker(import.meta.url, 'recorder-worker', { path, nativeBinding: currentNativeBinding() } satisfies WriterConfig);
    return new Promise((resolve, reject) => {
      const onMessage = (m: FromWriter) => {
        worker.off('message', onMessage);
        worker.off('error', onError);
        if (m.kind === 'opened') resolve(new RecorderThread(worker, path, { ...opts, maxBatchRows: opts.maxBatchRows ?? 5000, backlogWarningRows: opts.backlogWarningRows ?? BACKLOG_WARNING_ROWS }));
        else {
          const message = m.kind === 'open-failed' ? m.message : `unexpected ${m.kind} from the recorder's writer`;
          reject(m.kind === 'open-failed' && m.user ? new RecorderError(message) : new Error(message));
          void worker.terminate();
        }
      };
      const onError = (err: Error) => {
        worker.off('message', onMessage);
        reject(err);
      };
      worker.on('message', onMessage);
      worker.once('error', onError);
    });
  }

  beginSession(info: { provider: string; dialect: string; url: string; startedAt?: number }): number {
    return this.builder.beginSession(info);
  }

  endSession(id: number, reason: string, endedAt = Date.now()): void {
    this.builder.endSession(id, reason, endedAt);
    this.send();
  }

  record(frame: RecordedFrame): void {
    if (this.closed) throw new RecorderError('the recorder is closed');
    if (this.dead) return;
    this.builder.add(frame);
    const pending = this.builder.pendingRows;
    if (pending >= this.opts.maxBatchRows) this.send();
    if (pending > this.opts.backlogWarningRows && !this.behind) {
      // Nothing is dropped: the rows wait in memory. Said once until the writer catches up.
      this.behind = true;
      this.opts.onError?.(new RecorderError(`recording is falling behind: ${pending.toLocaleString('en-US')} rows are waiting to be written`));
    }
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

  /** Commits what is left (latest rows included), closes the database and ends the worker. */
  async close(): Promise<void> {
    if (this.closed) return;
    this.closed = true;
    clearInterval(this.timer);
    if (this.dead) {
      await this.worker.terminate();
      return;
    }
    if (this.inFlight) await new Promise<void>((r) => (this.settled = r));
    const batch = this.builder.take(true);
    const done = await new Promise<Extract<FromWriter, { kind: 'closed' }>>((resolve) => {
      this.onClosed = resolve;
      this.post({ kind: 'close', batch });
    });
    this.counts = done.counts;
    if (done.error) {
      const err = new RecorderError(`the last batch could not be written: ${done.error}`);
      this.opts.onError?.(err);
      throw err;
    }
    if (done.info && done.info.frames > 0) this.opts.onCommit?.(done.info);
  }

  private send(): void {
    if (this.inFlight || this.dead || this.closed) return;
    if (this.builder.pendingRows < this.opts.backlogWarningRows / 2) this.behind = false;
    const batch = this.builder.take();
    // An empty batch still goes when the writer holds a failed one to retry.
    if (isEmptyBatch(batch) && this.counts.pendingFrames === 0) return;
    this.dispatch(batch);
  }

  private dispatch(batch: WriteBatch): void {
    this.inFlight = true;
    this.inFlightFrames = batch.frames.texts.length;
    this.post({ kind: 'write', batch });
  }

  private post(m: ToWriter): void {
    // The value stream's buffers move to the writer instead of being copied.
    this.worker.postMessage(m, [m.batch.values.tags.buffer, m.batch.values.nums.buffer]);
  }

  private onMessage(m: FromWriter): void {
    switch (m.kind) {
      case 'committed':
      case 'failed':
        this.inFlight = false;
        this.inFlightFrames = 0;
        this.counts = m.counts;
        if (m.kind === 'committed') {
          if (m.info.frames > 0) this.opts.onCommit?.(m.info);
        } else {
          this.opts.onError?.(new RecorderError(`recording paused, will retry: ${m.message}`));
        }
        if (this.settled) {
          const s = this.settled;
          this.settled = null;
          s();
        } else if (this.builder.pendingRows >= this.opts.maxBatchRows) {
          this.send();
        }
        return;
      case 'closed':
        this.onClosed?.(m);
        return;
      default:
        return;
    }
  }

  private fail(err: Error): void {
    if (this.dead) return;
    this.dead = err;
    this.opts.onError?.(err);
    this.settled?.();
    this.onClosed?.({ kind: 'closed', counts: this.counts, error: err.message });
  }
}
