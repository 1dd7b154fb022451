/**
 * A real engine against a real simulator: tokens from the simulator's token endpoint, a real
 * SQLite file, real sockets. Tests drive faults through the simulator handle.
 */
import { join } from 'node:path';
import type { EngineEvent } from '../../shared/engine-events.js';
import type { Dialect } from '../../shared/protocol/services.js';
import { exchangeCode } from '../../electron/node/auth/token-endpoint.js';
import { writeTokenFile } from '../../electron/node/auth/token-file.js';
import { TokenManager } from '../../electron/node/auth/token-manager.js';
import type { TokenSet } from '../../electron/node/auth/tokens.js';
import { Engine, type SubscriptionRequest } from '../../electron/node/engine/engine.js';
import { OAuthStreamerProvider } from '../../electron/node/provider/oauth-provider.js';
import { Recorder } from '../../electron/node/recorder/recorder.js';
import { startSimulator, type SimHandle, type SimOptions } from '../../electron/node/sim/index.js';
import { tempDir } from './tmp.js';

export const APP = { appKey: 'test-app-key', appSecret: 'test-app-secret' };
export const CALLBACK = 'https://127.0.0.1:8182';

export interface Harness {
  sim: SimHandle;
  engine: Engine;
  dbPath: string;
  tokenFile: string;
  events: EngineEvent[];
  tokens: TokenManager;
  /** Stops engine and simulator; the database stays readable until cleanup(). */
  close(): Promise<void>;
  cleanup(): void;
}

export async function simTokens(sim: SimHandle, dialect: Dialect): Promise<TokenSet> {
  const code = sim.issueAuthorizationCode(dialect, dialect === 'tdameritrade' ? `${APP.appKey}@AMER.OAUTHAP` : APP.appKey, CALLBACK, 'trader');
  return exchangeCode({ dialect, apiBase: sim.url, app: APP }, code, CALLBACK);
}

export async function startHarness(opts: {
  dialect: Dialect;
  sim?: SimOptions;
  subscriptions: SubscriptionRequest[];
  silenceTimeoutMs?: number;
  qosLevel?: number;
  /** Reconnect by the product's policy (reconnect-policy.ts) instead of the harness's quick 50-400 ms waits. */
  realReconnectPolicy?: boolean;
}): Promise<Harness> {
  const tmp = tempDir('engine');
  const sim = await startSimulator({ heartbeatMs: 200, rate: 400, ...opts.sim });
  const initial = await simTokens(sim, opts.dialect);
  const tokenFile = join(tmp.dir, 'token.json');
  writeTokenFile(tokenFile, initial);
  const tokens = new TokenManager({
    ctx: { dialect: opts.dialect, apiBase: sim.url, app: APP },
    initial,
    persist: (t) => writeTokenFile(tokenFile, t),
  });
  tokens.start();
  const provider = new OAuthStreamerProvider({ name: opts.dialect, dialect: opts.dialect, apiBase: sim.url, tokens });
  const dbPath = join(tmp.dir, 'ticks.db');
  const recorder = Recorder.open(dbPath, { flushIntervalMs: 20 });
  const engine = new Engine({
    provider,
    recorder,
    subscriptions: opts.subscriptions,
    publishIntervalMs: 16,
    client: {
      silenceTimeoutMs: opts.silenceTimeoutMs ?? 1500,
      commandTimeoutMs: 3000,
      backoff: opts.realReconnectPolicy ? undefined : { initialMs: 50, maxMs: 400 },
      qosLevel: opts.qosLevel,
    },
  });
  const events: EngineEvent[] = [];
  engine.on((e) => {
    if (e.type !== 'quotes') events.push(e);
  });
  engine.start();
  let closed = false;
  return {
    sim,
    engine,
    dbPath,
    tokenFile,
    events,
    tokens,
    async close() {
      if (closed) return;
      closed = true;
      await engine.stop();
      await sim.close();
    },
    cleanup: tmp.cleanup,
  };
}
