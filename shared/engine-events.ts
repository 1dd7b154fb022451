/**
 * What the engine reports to a UI or the CLI: serialisable plain data, so the same events cross a
 * worker boundary, Electron IPC or the browser bridge unchanged.
 */
import * as v from 'valibot';
import type { MarketUpdate } from './market.js';
import { MarketSessionSchema } from './market-session.js';
import { SinkStatusSchema } from './sink-status.js';

export const CONNECTION_STATES = ['idle', 'connecting', 'logging-in', 'subscribing', 'streaming', 'waiting', 'stopped', 'failed'] as const;
export type ConnectionState = (typeof CONNECTION_STATES)[number];

export const StatusSchema = v.object({
  provider: v.string(),
  dialect: v.string(),
  /** True for the demo simulator: the UI labels the data as simulated. */
  simulated: v.boolean(),
  connection: v.picklist(CONNECTION_STATES),
  /** Why the connection is in this state (e.g. the last disconnect reason), if anything. */
  detail: v.nullable(v.string()),
  /** While waiting to reconnect: when the next attempt starts (ms epoch). */
  retryAt: v.nullable(v.number()),
  updates: v.number(),
  updatesPerSec: v.number(),
  frames: v.number(),
  problems: v.number(),
  reconnects: v.number(),
  recording: v.boolean(),
  rows: v.number(),
  dbBytes: v.number(),
  lastFrameAt: v.nullable(v.number()),
  /** Streaming stopped because the broker no longer accepts the saved login: only logging in again helps. */
  loginRequired: v.boolean(),
  /**
   * The equity market's session from the provider's market hours (the app's host fills it; absent
   * while unknown, and from `record`, which does not ask).
   */
  marketSession: v.optional(MarketSessionSchema),
  /** The app's PostgreSQL sink (Settings → Recording); absent from `record`, which logs it instead. */
  sink: v.optional(SinkStatusSchema),
});
export type EngineStatus = v.InferOutput<typeof StatusSchema>;

/** Merged current state of one (service, key), as the grids show it: the update shape, merged. */
export interface QuoteRecord extends MarketUpdate {
  /** When the last update for this key arrived here (local ms epoch); `ts` is the server's time of it. */
  receivedAt: number;
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
  | { type: 'fatal'; message: string; loginRequired: boolean };
