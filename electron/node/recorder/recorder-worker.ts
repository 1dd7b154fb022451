/** The writer worker of RecorderThread: owns the SQLite connection and commits each batch it is sent. */
import { parentPort, workerData } from 'node:worker_threads';
import { setNativeBinding } from '../sqlite/open-database.js';
import { BatchWriter, type CommitInfo } from './batch-writer.js';
import { RecorderError } from './errors.js';
import type { FromWriter, ToWriter, WriterConfig } from './writer-protocol.js';

const port = parentPort;
if (!port) throw new Error('recorder-worker must run in a worker thread');
const config = workerData as WriterConfig;
if (config.nativeBinding) setNativeBinding(config.nativeBinding);
const post = (m: FromWriter) => port.postMessage(m);
const message = (err: unknown) => (err instanceof Error ? err.message : String(err));

let writer: BatchWriter | null = null;
try {
  writer = BatchWriter.open(config.path);
  post({ kind: 'opened' });
} catch (err) {
  post({ kind: 'open-failed', message: message(err), user: err instanceof RecorderError });
  port.close();
}

port.on('message', (m: ToWriter) => {
  if (!writer) return;
  const w = writer;
  if (m.kind === 'write') {
    try {
      post({ kind: 'committed', info: w.write(m.batch), counts: w.stats() });
    } catch (err) {
      post({ kind: 'failed', message: message(err), counts: w.stats() });
    }
    return;
  }
  let error: string | undefined;
  let info: CommitInfo | undefined;
  try {
    info = w.write(m.batch);
  } catch (err) {
    error = message(err);
  }
  try {
    w.close();
  } catch (err) {
    error ??= message(err);
  }
  writer = null;
  post({ kind: 'closed', counts: w.stats(), info, error });
  port.close();
});
