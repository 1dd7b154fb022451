/** Messages between ThreadSink (thread-sink.ts) and its writer worker (recorder-worker.ts). */
import type { CloseOutcome, WriteOutcome, WriterOptions } from './recorder-sink.js';
import type { WriteBatch } from './write-batch.js';

export interface WriterConfig {
  path: string;
  nativeBinding?: string;
  options: WriterOptions;
}

export type ToWriter = { kind: 'write'; batch: WriteBatch } | { kind: 'close'; batch: WriteBatch };

export type FromWriter =
  | { kind: 'opened'; recoveredSessions: number }
  /** `user`: a problem the user can fix (a RecorderError), reported as its one line. */
  | { kind: 'open-failed'; message: string; user: boolean }
  | WriteOutcome
  | ({ kind: 'closed' } & CloseOutcome);
