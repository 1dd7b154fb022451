/** Messages between SimThread and its worker (demo-sim-worker.ts). */
import type { Dialect } from '../../../shared/protocol/services.js';
import type { FaultSpec } from '../sim/index.js';

/** What a simulator on its own thread is started with: SimOptions less what cannot cross threads (log). */
export interface SimThreadOptions {
  rate?: number;
  symbols?: number;
  seed?: number;
  faults?: FaultSpec[];
  barMs?: number;
}

export type ToSim =
  | { kind: 'issue-code'; id: number; dialect: Dialect; clientId: string; redirectUri: string; user?: string }
  | { kind: 'close' };

export type FromSim =
  | { kind: 'ready'; url: string }
  | { kind: 'start-failed'; message: string }
  | { kind: 'code'; id: number; code: string }
  | { kind: 'code-failed'; id: number; message: string }
  | { kind: 'closed' };
