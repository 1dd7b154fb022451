/** Messages between SinkThread (sink-thread.ts) and its worker (sink-worker.ts). */
import type { Shipment, SinkNotice } from './shipper.js';

export interface SinkConfig {
  dbPath: string;
  /** The PostgreSQL URL as given (with any password): stays inside the process. */
  url: string;
  nativeBinding: string | undefined;
}

/** `behind`: how many committed rows are not shipped yet (the app shows it; answered with `behind`). */
export type ToSink = { kind: 'stop'; drainMs: number } | { kind: 'behind' };

export interface SinkTotals {
  /** Rows shipped by this run, by table. */
  shipped: [string, number][];
  /** Rows committed to SQLite but not shipped when it stopped, by table (empty: caught up). */
  behind: [string, number][];
}

export type FromSink =
  | { kind: 'started'; recorderId: string }
  | { kind: 'start-failed'; message: string }
  | { kind: 'shipped'; shipment: Shipment }
  | { kind: 'notice'; notice: SinkNotice }
  | { kind: 'behind'; behind: [string, number][] }
  | ({ kind: 'stopped' } & SinkTotals);
