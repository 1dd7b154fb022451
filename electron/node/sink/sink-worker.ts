/** The sink's thread: a Shipper following the recorder's file, so the recorder never waits for PostgreSQL. */
import { parentPort, workerData } from 'node:worker_threads';
import { setNativeBinding } from '../sqlite/open-database.js';
import { parsePgUrl } from './pg-url.js';
import { Shipper } from './shipper.js';
import type { FromSink, SinkConfig, ToSink } from './sink-protocol.js';

const port = parentPort;
if (!port) throw new Error('sink-worker must run in a worker thread');
const config = workerData as SinkConfig;
if (config.nativeBinding) setNativeBinding(config.nativeBinding);
const post = (m: FromSink) => port.postMessage(m);

let shipper: Shipper | null = null;
try {
  shipper = Shipper.open(config.dbPath, parsePgUrl(config.url), {
    onShipped: (shipment) => post({ kind: 'shipped', shipment }),
    onNotice: (notice) => post({ kind: 'notice', notice }),
  });
  post({ kind: 'started', recorderId: shipper.recorderId });
} catch (err) {
  post({ kind: 'start-failed', message: err instanceof Error ? err.message : String(err) });
  port.close();
}

if (shipper) {
  const s = shipper;
  const stop = new AbortController();
  let drainMs = 0;
  let closed = false;
  port.on('message', (m: ToSink) => {
    if (m.kind === 'behind') {
      // Counted between the shipper's steps, on its own connection; a busy file answers nothing behind.
      let behind: [string, number][] = [];
      try {
        if (!closed) behind = [...s.behind()];
      } catch {
        /* asked again at the next status */
      }
      post({ kind: 'behind', behind });
      return;
    }
    if (m.kind !== 'stop') return;
    drainMs = m.drainMs;
    stop.abort();
  });
  // The drain deadline is only known once stop arrives: run() reads it after the abort.
  void s
    .run(stop.signal, () => drainMs)
    .then(async () => {
      const behind = [...s.behind()];
      closed = true;
      await s.close();
      post({ kind: 'stopped', shipped: [...s.shippedRows], behind });
      port.close();
    });
}
