/**
 * Commits batches on a worker thread of its own (recorder-worker.ts), so the ingest thread only
 * builds batches and, on two cores, decoding and writing run side by side. The Recorder keeps one
 * batch in flight at a time; while the writer commits it the next one grows, so batches get larger
 * exactly when the writer is busy.
 */
import type { Worker } from 'node:worker_threads';
import { currentNativeBinding } from '../sqlite/open-database.js';
import { startWorker } from '../worker/start-worker.js';
import { firstMessage, followWorker } from '../worker/worker-lifecycle.js';
import type { WriterCounts } from './batch-writer.js';
import { RecorderError } from './errors.js';
import type { CloseOutcome, RecorderSink, SinkListener, WriterOptions } from './recorder-sink.js';
import type { WriteBatch } from './write-batch.js';
import type { FromWriter, ToWriter, WriterConfig } from './writer-protocol.js';

export class ThreadSink implements RecorderSink {
  private listener: SinkListener | null = null;
  /** The writer's counts as of its last answer: what a close cut short by the writer's death reports. */
  private counts: WriterCounts = { frames: 0, rows: 0, commits: 0, lastCommitAt: null, pendingFrames: 0 };
  private closing = false;
  private dead = false;
  private onClosed: ((c: CloseOutcome) => void) | null = null;

  private constructor(
    private readonly worker: Worker,
    /** Sessions rows a killed run had left open, closed on opening (batch-writer.ts). */
    readonly recoveredSessions: number,
  ) {
    followWorker<FromWriter>(
      worker,
      (m) => this.onMessage(m),
      (reason) => this.die(new RecorderError(`the recorder's writer ${reason}`)),
    );
  }

  /** Opens (creating or checking the schema) on the writer thread; rejects with the open failure's one line. */
  static async open(path: string, options: WriterOptions = {}): Promise<ThreadSink> {
    const worker = startWorker(import.meta.url, 'recorder-worker', { path, nativeBinding: currentNativeBinding(), options } satisfies WriterConfig);
    const opened = await firstMessage(
      worker,
      (m: FromWriter) => m.kind === 'opened',
      (m) => {
        const message = m.kind === 'open-failed' ? m.message : `unexpected ${m.kind} from the recorder's writer`;
        return m.kind === 'open-failed' && m.user ? new RecorderError(message) : new Error(message);
      },
    );
    return new ThreadSink(worker, opened.recoveredSessions);
  }

  listen(listener: SinkListener): void {
    this.listener = listener;
  }

  write(batch: WriteBatch): void {
    this.post({ kind: 'write', batch });
  }

  close(batch: WriteBatch): Promise<CloseOutcome> {
    this.closing = true;
    return new Promise((resolve) => {
      this.onClosed = resolve;
      this.post({ kind: 'close', batch });
    });
  }

  async abandon(): Promise<void> {
    this.closing = true;
    await this.worker.terminate();
  }

  private post(m: ToWriter): void {
    // The value stream's buffers move to the writer instead of being copied.
    this.worker.postMessage(m, [m.batch.values.tags.buffer, m.batch.values.nums.buffer]);
  }

  private onMessage(m: FromWriter): void {
    switch (m.kind) {
      case 'committed':
      case 'failed':
        this.counts = m.counts;
        this.listener?.written(m);
        return;
      case 'closed':
        this.settleClose({ counts: m.counts, info: m.info, error: m.error });
        return;
      default:
        return;
    }
  }

  private die(err: Error): void {
    if (this.dead) return;
    this.dead = true;
    // A close waiting for the writer ends with the error instead of waiting for ever.
    this.settleClose({ counts: this.counts, error: err.message });
    // The writer ends its thread after answering a close: that exit is no death.
    if (!this.closing) this.listener?.died(err);
  }

  private settleClose(c: CloseOutcome): void {
    const done = this.onClosed;
    this.onClosed = null;
    done?.(c);
  }
}
