/**
 * The demo's simulator on a thread of its own, as a real broker's servers are on machines of their
 * own: its market (every instrument's price path, level-one items, books, REST answers such as a
 * quote snapshot of thousands of symbols) never takes the ingest thread's time, so the demo's
 * latency is the client's, not the simulator's (bench/RESULTS.md, session 5).
 */
import type { Worker } from 'node:worker_threads';
import type { Dialect } from '../../../shared/protocol/services.js';
import { startWorker } from '../worker/start-worker.js';
import { firstMessage, followWorker } from '../worker/worker-lifecycle.js';
import type { FromSim, SimThreadOptions, ToSim } from './demo-sim-protocol.js';

export class SimThread {
  private nextId = 1;
  private readonly pending = new Map<number, { resolve: (code: string) => void; reject: (err: Error) => void }>();
  private closed: Promise<void> | null = null;
  private ended = false;

  private constructor(
    private readonly worker: Worker,
    /** http://127.0.0.1:PORT: the API base and authorize host. */
    readonly url: string,
  ) {
    followWorker<FromSim>(worker, (m) => this.onMessage(m), (reason) => this.end(new Error(`the simulator thread ${reason}`)));
  }

  static async start(options: SimThreadOptions = {}): Promise<SimThread> {
    const worker = startWorker(import.meta.url, 'demo-sim-worker', options);
    const ready = await firstMessage(
      worker,
      (m: FromSim): m is Extract<FromSim, { kind: 'ready' }> => m.kind === 'ready',
      (m) => new Error(m.kind === 'start-failed' ? m.message : `unexpected ${m.kind} from the simulator thread`),
    );
    return new SimThread(worker, ready.url);
  }

  /** What the simulator's Accept button does: an authorization code for the demo's own login. */
  issueAuthorizationCode(dialect: Dialect, clientId: string, redirectUri: string, user?: string): Promise<string> {
    if (this.ended) return Promise.reject(new Error('the simulator has stopped'));
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.worker.postMessage({ kind: 'issue-code', id, dialect, clientId, redirectUri, user } satisfies ToSim);
    });
  }

  close(): Promise<void> {
    if (this.closed) return this.closed;
    if (this.ended) return (this.closed = Promise.resolve());
    this.closed = new Promise<void>((resolve) => {
      this.worker.once('exit', () => resolve());
      this.worker.postMessage({ kind: 'close' } satisfies ToSim);
    });
    return this.closed;
  }

  private onMessage(m: FromSim): void {
    if (m.kind !== 'code' && m.kind !== 'code-failed') return;
    const p = this.pending.get(m.id);
    if (!p) return;
    this.pending.delete(m.id);
    if (m.kind === 'code') p.resolve(m.code);
    else p.reject(new Error(m.message));
  }

  private end(err: Error): void {
    if (this.ended) return;
    this.ended = true;
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }
}
