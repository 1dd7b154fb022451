/**
 * The PostgreSQL sink of a live recording, on a worker thread of its own (sink-worker.ts): it reads
 * the rows the recorder has committed from its own read-only SQLite connection and ships them,
 * so neither the ingest thread nor the recorder's writer ever waits for PostgreSQL. Started after
 * the recorder opened the file; stopped after it closed, draining what is left within a deadline.
 */
import type { Worker } from 'node:worker_threads';
import { currentNativeBinding } from '../sqlite/open-database.js';
import { startWorker } from '../worker/start-worker.js';
import { firstMessage, followWorker } from '../worker/worker-lifecycle.js';
import type { PgTarget } from './pg-url.js';
import type { Shipment, SinkNotice } from './shipper.js';
import type { FromSink, SinkConfig, SinkTotals, ToSink } from './sink-protocol.js';

export interface SinkListener {
  onShipped?: (s: Shipment) => void;
  onNotice?: (n: SinkNotice) => void;
  /** The sink's thread ended on its own (a bug, or out of memory): nothing more is shipped. */
  onDied?: (message: string) => void;
}

export class SinkThread {
  private stopped: ((t: SinkTotals) => void) | null = null;
  private totals: SinkTotals | null = null;
  private dead = false;
  /** Callers of behind() waiting for the thread's count, in order. */
  private readonly behindWaiters: ((b: [string, number][]) => void)[] = [];

  private constructor(
    private readonly worker: Worker,
    readonly recorderId: string,
    readonly target: PgTarget,
    private readonly listener: SinkListener,
  ) {
    followWorker<FromSink>(
      worker,
      (m) => this.onMessage(m),
      (reason) => this.die(reason),
    );
  }

  /** Starts the thread once the file is open and has its recorder id; PostgreSQL may still be down. */
  static async start(dbPath: string, target: PgTarget, listener: SinkListener = {}): Promise<SinkThread> {
    const config: SinkConfig = { dbPath, url: target.connectionString, nativeBinding: currentNativeBinding() };
    const worker = startWorker(import.meta.url, 'sink-worker', config);
    const started = await firstMessage(
      worker,
      (m: FromSink) => m.kind === 'started',
      (m) => new Error(m.kind === 'start-failed' ? m.message : `unexpected ${m.kind} from the sink`),
    );
    return new SinkThread(worker, started.recorderId, target, listener);
  }

  /**
   * Ships what the recorder committed, for at most `drainMs` more, then ends the thread. Call it
   * after the recorder has closed, so its last commit is shipped too.
   */
  stop(drainMs: number): Promise<SinkTotals> {
    if (this.totals) return Promise.resolve(this.totals);
    if (this.dead) return Promise.resolve({ shipped: [], behind: [] });
    return new Promise((resolve) => {
      this.stopped = resolve;
      this.worker.postMessage({ kind: 'stop', drainMs } satisfies ToSink);
    });
  }

  /** Rows committed to SQLite and not shipped yet, by table, counted now by the sink's thread. */
  behind(): Promise<[string, number][]> {
    if (this.totals) return Promise.resolve(this.totals.behind);
    if (this.dead || this.stopped) return Promise.resolve([]);
    return new Promise((resolve) => {
      this.behindWaiters.push(resolve);
      this.worker.postMessage({ kind: 'behind' } satisfies ToSink);
    });
  }

  private onMessage(m: FromSink): void {
    switch (m.kind) {
      case 'shipped':
        this.listener.onShipped?.(m.shipment);
        return;
      case 'notice':
        this.listener.onNotice?.(m.notice);
        return;
      case 'behind':
        this.behindWaiters.shift()?.(m.behind);
        return;
      case 'stopped':
        this.totals = { shipped: m.shipped, behind: m.behind };
        this.settle(this.totals);
        return;
      default:
        return;
    }
  }

  /** `reason`: `stopped: …` or `exited (code N)` (worker-lifecycle.ts). */
  private die(reason: string): void {
    if (this.dead) return;
    this.dead = true;
    if (this.totals) return;
    this.listener.onDied?.(`the PostgreSQL sink ${reason}`);
    this.settle({ shipped: [], behind: [] });
  }

  private settle(t: SinkTotals): void {
    for (const waiter of this.behindWaiters.splice(0)) waiter(t.behind);
    const done = this.stopped;
    this.stopped = null;
    done?.(t);
  }
}
