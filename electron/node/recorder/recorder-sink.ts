/**
 * Where a Recorder's batches are committed. The Recorder (recorder.ts) builds batches on the
 * calling thread and hands them to a sink: InlineSink commits on the calling thread, ThreadSink on
 * a writer thread of its own. Keeping that one difference behind this interface is what lets the
 * timer, batching, retry and stats of the recorder be written once.
 */
import type { CommitInfo, WriterCounts } from './batch-writer.js';
import type { WriteBatch } from './write-batch.js';

/** What became of one batch. A failed batch stays with the writer, which writes it again (first) at the next commit. */
export type WriteOutcome =
  | { kind: 'committed'; info: CommitInfo; counts: WriterCounts }
  /** `fatal`: the writer stopped for good (the file was deleted or replaced); nothing more will be written. */
  | { kind: 'failed'; message: string; counts: WriterCounts; fatal?: boolean };

/** How the writer is set up (Recorder.open / openThreaded pass it on). */
export interface WriterOptions {
  /** How long a commit waits for a lock held elsewhere (default BUSY_TIMEOUT_MS). */
  busyTimeoutMs?: number;
}

/** What the closing commit did. `info`: what it wrote (with any failed batch it retried), when it succeeded. */
export interface CloseOutcome {
  counts: WriterCounts;
  info?: CommitInfo;
  error?: string;
}

export interface SinkListener {
  /** The outcome of the batch last passed to write(). */
  written(outcome: WriteOutcome): void;
  /** The sink stopped for good (its writer thread died): nothing more will be written. */
  died(err: Error): void;
}

export interface RecorderSink {
  /** Sessions rows a killed run had left open, closed when the sink opened the file. */
  readonly recoveredSessions: number;
  listen(listener: SinkListener): void;
  /**
   * Commits one batch; the Recorder sends the next only after this one's outcome. InlineSink
   * reports the outcome before returning, ThreadSink when its writer answers.
   */
  write(batch: WriteBatch): void;
  /** Commits the last batch and closes the database: at once (InlineSink) or as a promise (ThreadSink). */
  close(batch: WriteBatch): CloseOutcome | Promise<CloseOutcome>;
  /** Ends a sink that died, writing nothing. */
  abandon(): void | Promise<void>;
}

export const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));
