/**
 * Messages between the host worker (which owns the socket, parsing and SQLite) and the thread that
 * serves the windows. The worker asks its parent for what only the parent can do (the Electron
 * main thread's safeStorage, dialogs and login window) with `platform` calls.
 */
import type { EventName, Events, SecretStorage } from '../../../shared/api.js';
import type { Secrets } from './secrets.js';

export interface WorkerConfig {
  userDataPath: string;
  appVersion: string;
  versions: Record<string, string>;
  secretProtection: SecretStorage;
  /** The parent can show a login window (Electron); otherwise login returns a browser URL. */
  canOpenLogin: boolean;
  demo?: { rate?: number; barMs?: number; seed?: number };
  /** Where better-sqlite3's native binding for this runtime is (Electron's ABI differs from Node's). */
  nativeBinding?: string;
}

export interface PlatformCalls {
  'secrets.load': { args: []; result: Secrets };
  'secrets.save': { args: [Secrets]; result: void };
  chooseExportTarget: { args: [string]; result: { path: string; location: string } | null };
  openLogin: { args: [string, string]; result: string | null };
}
export type PlatformMethod = keyof PlatformCalls;

export type ToWorker =
  | { kind: 'invoke'; id: number; name: string; arg: unknown }
  | { kind: 'complete-login'; id: number; url: string }
  | { kind: 'platform-result'; id: number; ok: true; value: unknown }
  | { kind: 'platform-result'; id: number; ok: false; error: string }
  | { kind: 'close'; id: number };

export type FromWorker =
  | { kind: 'ready' }
  | { kind: 'result'; id: number; ok: true; value: unknown }
  | { kind: 'result'; id: number; ok: false; error: string }
  | { kind: 'event'; name: EventName; payload: Events[EventName] }
  | { kind: 'platform'; id: number; method: PlatformMethod; args: unknown[] }
  | { kind: 'fatal'; error: string };
