/** What the streamer client tells the rest of the engine (and, through it, the UI). */
import type { ConnectionState, EngineStatus } from '../../../shared/engine-events.js';
export type { ConnectionState };

export type StreamerEvent =
  | { type: 'state'; state: ConnectionState; detail?: string; retryInMs?: number }
  | { type: 'connected'; connectionId: number; url: string; account: string | null; serverMessage: string; reconnect: boolean }
  | { type: 'disconnected'; connectionId: number; reason: string }
  | { type: 'subscription-error'; service: string; command: string; keys: string[]; code: number; message: string }
  | { type: 'notice'; service: string; code: number; message: string }
  /** A LOGIN was denied (code, message: the server's answer), the access token refreshed, and the next LOGIN succeeded. */
  | { type: 'login-recovered'; code: number; message: string }
  | { type: 'fatal'; message: string; loginRequired: boolean };

/** Where connections are logged (the recorder's `sessions` table), under the client's id for each. */
export interface ConnectionLog {
  begin(info: { connectionId: number; url: string; startedAt: number }): void;
  end(connectionId: number, reason: string, endedAt: number): void;
}

/** The connection's state as the status bar shows it. */
export type ConnectionStatus = Pick<EngineStatus, 'connection' | 'detail' | 'retryAt'>;
