/**
 * The recorder on the calling thread: every frame verbatim, one delta row per update, merged latest
 * rows and nested child rows, committed in batched transactions (every ~100 ms or N rows) so
 * commits never bound throughput and a killed process leaves a database that opens.
 * RecorderThread (recorder-thread.ts) is the same recorder with its SQLite half on a worker thread.
 */
import { BatchBuilder, type RecordedFrame } from './batch-builder.js';
import { BatchWriter, type CommitInfo } from './batch-writer.js';
import { RecorderError } from './errors.js';
import { dbBytes } from './db-size.js';

export { RecorderError, type RecordedFrame };

export interface RecorderOptions {
  flushIntervalMs?: number;
  maxBatchRows?: number;
  onError?: (err: Error) => void;
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

export class Recorder {
  private readonly builder = new BatchBuilder();
  private readonly timer: NodeJS.Timeout;
  private closed = false;

  private constructor(
    private readonly writer: BatchWriter,
    readonly path: string,
    private readonly opts: RecorderOptions & { maxBatchRows: number },
  ) {
    this.timer = setInterval(() => this.tryFlush(), opts.flushIntervalMs ?? 100);
    this.timer.unref();
  }

  static open(path: string, opts: RecorderOptions = {}): Recorder {
    return new Recorder(BatchWriter.open(path), path, { ...opts, maxBatchRows: opts.maxBatchRows ?? 5000 });
  }

  beginSession(info: { provider: string; dialect: string; url: string; startedAt?: number }): number {
    return this.builder.beginSession(info);
  }

  endSession(id: number, reason: string, endedAt = Date.now()): void {
    this.builder.endSession(id, reason, endedAt);
    this.tryFlush();
  }

  record(frame: RecordedFrame): void {
    if (this.closed) throw new RecorderError('the recorder is closed');
    this.builder.add(frame);
    if (this.builder.pendingRows >= this.opts.maxBatchRows) this.tryFlush();
  }

  /** Commits everything recorded so far in one transaction; on failure it is kept for the next try. */
  flush(final = false): void {
    const batch = this.builder.take(final);
    const info = this.writer.write(batch);
    if (info.frames > 0 || final) this.opts.onCommit?.(info);
  }

  private tryFlush(): void {
    try {
      this.flush();
    } catch (err) {
      this.opts.onError?.(err as Error);
    }
  }

  stats(): RecorderStats {
    const w = this.writer.stats();
    return { frames: w.frames, rows: w.rows, commits: w.commits, lastCommitAt: w.lastCommitAt, pendingFrames: w.pendingFrames + this.builder.pendingFrames, dbBytes: dbBytes(this.path) };
  }

  close(): void {
    if (this.closed) return;
    clearInterval(this.timer);
    this.closed = true;
    try {
      this.flush(true);
    } finally {
      this.writer.close();
    }
  }
}
