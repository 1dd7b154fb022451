/**
 * Commits batches on the calling thread through a BatchWriter. The Recorder uses it directly
 * (replay --out, tests), and the writer thread of ThreadSink runs one too (recorder-worker.ts),
 * so a batch is committed and reported by the same code either way.
 */
import { BatchWriter, type CommitInfo } from './batch-writer.js';
import { RecordingStoppedError } from './errors.js';
import { messageOf, type CloseOutcome, type RecorderSink, type SinkListener, type WriteOutcome, type WriterOptions } from './recorder-sink.js';
import type { WriteBatch } from './write-batch.js';

export class InlineSink implements RecorderSink {
  private listener: SinkListener | null = null;

  private constructor(private readonly writer: BatchWriter) {}

  /** Sessions rows a killed run had left open, closed on opening (batch-writer.ts). */
  get recoveredSessions(): number {
    return this.writer.recoveredSessions;
  }

  /** Opens (creating or checking the schema); throws a RecorderError the user can act on. */
  static open(path: string, opts: WriterOptions = {}): InlineSink {
    return new InlineSink(BatchWriter.open(path, opts));
  }

  listen(listener: SinkListener): void {
    this.listener = listener;
  }

  write(batch: WriteBatch): void {
    let outcome: WriteOutcome;
    try {
      outcome = { kind: 'committed', info: this.writer.write(batch), counts: this.writer.stats() };
    } catch (err) {
      outcome = { kind: 'failed', message: messageOf(err), counts: this.writer.stats(), fatal: err instanceof RecordingStoppedError };
    }
    // Outside the try: a listener that throws is the listener's failure, not a failed commit.
    this.listener?.written(outcome);
    // After the report, so compressing the archive never delays what waits for the commit.
    if (outcome.kind === 'committed') this.writer.maintain();
  }

  close(batch: WriteBatch): CloseOutcome {
    let error: string | undefined;
    let info: CommitInfo | undefined;
    try {
      info = this.writer.write(batch);
    } catch (err) {
      error = messageOf(err);
    }
    try {
      this.writer.close();
    } catch (err) {
      error ??= messageOf(err);
    }
    return { counts: this.writer.stats(), info, error };
  }

  abandon(): void {
    this.writer.close();
  }
}
