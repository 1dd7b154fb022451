/** Messages between RecorderThread and its writer worker (recorder-worker.ts). */
import type { CommitInfo, WriterCounts } from './batch-writer.js';
import type { WriteBatch } from './write-batch.js';

export interface WriterConfig {
  path: string;
  nativeBinding?: string;
}

export type ToWriter = { kind: 'write'; batch: WriteBatch } | { kind: 'close'; batch: WriteBatch };

export type FromWriter =
  | { kind: 'opened' }
  /** `user`: a problem the user can fix (a RecorderError), reported as its one line. */
  | { kind: 'open-failed'; message: string; user: boolean }
  | { kind: 'committed'; info: CommitInfo; counts: WriterCounts }
  | { kind: 'failed'; message: string; counts: WriterCounts }
  /** `info`: what the closing commit wrote (with any failed batch it retried), when it succeeded. */
  | { kind: 'closed'; counts: WriterCounts; info?: CommitInfo; error?: string };
