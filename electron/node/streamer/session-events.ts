/** What a streamer session tells the rest of the engine (and, through it, the UI). */
import type { ConnectionState } from '../../../shared/engine-events.js';
export type { ConnectionState };

export type SessionEvent =
  | { type: 'state'; state: ConnectionState; detail?: string; retryInMs?: number }
  | { type: 'connected'; connectionId: number; serverMessage: string; reconnect: boolean }
  | { type: 'disconnected'; connectionId: number; reason: string }
  | { type: 'subscription-error'; service: string; command: string; keys: string[]; code: number; message: string }
  | { type: 'notice'; service: string; code: number; message: string }
  | { type: 'token-refreshed' }
  | { type: 'fatal'; message: string };

/** Where connections are logged (the recorder's sessions table). */
export interface SessionLog {
  begin(info: { url: string; startedAt: number }): number;
  end(connectionId: number, reason: string, endedAt: number): void;
}
