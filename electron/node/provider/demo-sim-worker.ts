/** The demo simulator's thread (SimThread): a simulator server driven by messages. */
import { parentPort, workerData } from 'node:worker_threads';
import { startSimulator, type SimHandle } from '../sim/index.js';
import type { FromSim, SimThreadOptions, ToSim } from './demo-sim-protocol.js';

const port = parentPort;
if (!port) throw new Error('demo-sim-worker must run in a worker thread');
const post = (m: FromSim) => port.postMessage(m);

let sim: SimHandle | null = null;
try {
  sim = await startSimulator(workerData as SimThreadOptions);
  post({ kind: 'ready', url: sim.url });
} catch (err) {
  post({ kind: 'start-failed', message: (err as Error).message });
  port.close();
}

port.on('message', (m: ToSim) => {
  if (!sim) return;
  if (m.kind === 'issue-code') {
    try {
      post({ kind: 'code', id: m.id, code: sim.issueAuthorizationCode(m.dialect, m.clientId, m.redirectUri, m.user) });
    } catch (err) {
      post({ kind: 'code-failed', id: m.id, message: (err as Error).message });
    }
    return;
  }
  const closing = sim;
  sim = null;
  void closing.close().finally(() => {
    post({ kind: 'closed' });
    port.close();
  });
});
