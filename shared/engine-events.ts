/**
 * What the engine reports to a UI or the CLI: serialisable plain data, so the same events cross a
 * worker boundary, Electron IPC or the browser bridge unchanged.
 */
import type { MarketUpdate } from './market.js';

export type ConnectionState =
  | 'idle'
  | 'connecting'
  | 'logging-in'
  | 'subscribing'
  | 'streaming'
  | 'waiting'
  | 'stopped'
  | 'failed';

export interface EngineStatus {
  provider: string;
  dialect: string;
  /** True for the demo simulator: the UI labels the data as simulated. */
  simulated: boolean;
  connection: ConnectionState;
  /** Why the connection is in this state (e.g. the last disconnect reason), if anything. */
  detail: string | null;
  /** While waiting to reconnect: when the next attempt starts (ms epoch). */
  retryAt: number | null;
  updates: number;
  updatesPerSec: number;
  frames: number;
  problems: number;
  reconnects: number;
  recording: boolean;
  rows: number;
  dbBytes: number;
  lastFrameAt: number | null;
}

/** Merged current state of one (service, key), as the grids show it: the update shape, merged. */
export interface QuoteRecord extends MarketUpdate {
  /** Server time of the last update applied (ms epoch). */
  updatedAt: number;
  /** In a quotes batch: only the fields that changed since the last batch; merge into what you have. */
  partial?: boolean;
}

export type EngineEvent =
  | { type: 'status'; status: EngineStatus }
  | { type: 'quotes'; records: QuoteRecord[]; publishedAt: number; oldestReceivedAt: number }
  | { type: 'problem'; kind: string; detail: string; service?: string; count: number }
  | { type: 'subscription-error'; service: string; command: string; keys: string[]; code: number; message: string }
  | { type: 'notice'; service: string; code: number; message: string }
  | { type: 'connection'; event: 'connected' | 'disconnected'; detail: string }
  | { type: 'fatal'; message: string };
