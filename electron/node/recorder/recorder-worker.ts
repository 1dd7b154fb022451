/** The writer thread of ThreadSink: an InlineSink that owns the SQLite connection, driven by messages. */
import { parentPort, workerData } from 'node:worker_threads';
import { setNativeBinding } from '../sqlite/open-database.js';
import { RecorderError } from './errors.js';
import { InlineSink } from './inline-sink.js';
import { messageOf } from './recorder-sink.js';
import type { FromWriter, ToWriter, WriterConfig } from './writer-protocol.js';

const port = parentPort;
if (!port) throw new Error('recorder-worker must run in a worker thread');
const config = workerData as WriterConfig;
if (config.nativeBinding) setNativeBinding(config.nativeBinding);
const post = (m: FromWriter) => port.postMessage(m);

let sink: InlineSink | null = null;
try {
  sink = InlineSink.open(config.path, config.options);
  // Every outcome goes back as it is: the Recorder on the other side reads it like InlineSink's.
  sink.listen({ written: post, died: () => undefined });
  post({ kind: 'opened', recoveredSessions: sink.recoveredSessions });
} catch (err) {
  post({ kind: 'open-failed', message: messageOf(err), user: err instanceof RecorderError });
  port.close();
}

port.on('message', (m: ToWriter) => {
  if (!sink) return;
  if (m.kind === 'write') {
    sink.write(m.batch);
    return;
  }
  const closed = sink.close(m.batch);
  sink = null;
  post({ kind: 'closed', ...closed });
  port.close();
});
