/**
 * Builds the provider a user asked for. schwab / tdameritrade read the token file (written by
 * `tapedeck login`) and keep it fresh; demo starts the simulator and logs in to it through
 * the same OAuth and streamer code a real account uses, so demo mode exercises the real client. The
 * simulator runs on a thread of its own (demo-sim-thread.ts), as a broker's servers run elsewhere.
 */
import { PROVIDER_NAMES } from '../../../shared/api-values.js';
import type { Dialect } from '../../../shared/protocol/services.js';
import { DEFAULT_ENDPOINTS } from '../auth/endpoints.js';
import { exchangeCode, type AppCredentials } from '../auth/token-endpoint.js';
import type { TokenSet } from '../auth/tokens.js';
import { TokenManager } from '../auth/token-manager.js';
import type { FaultSpec } from '../sim/index.js';
import { SimThread } from './demo-sim-thread.js';
import { OAuthStreamerProvider } from './oauth-provider.js';
import { ProviderError, type ProviderName, type StreamerProvider } from './types.js';

export interface BrokerProviderConfig {
  provider: 'schwab' | 'tdameritrade';
  apiBase?: string;
  /** Tokens from `tapedeck login` (a token file) or the app's encrypted store. */
  tokens: TokenSet;
  /** Saves every refreshed token set (refresh-token rotation included) before it is used. */
  persist: (tokens: TokenSet) => void;
  app: AppCredentials;
  accountId?: string;
  onTokenError?: (err: Error) => void;
}

export interface DemoProviderConfig {
  provider: 'demo';
  rate?: number;
  symbols?: number;
  seed?: number;
  faults?: FaultSpec[];
  barMs?: number;
}

export type ProviderConfig = BrokerProviderConfig | DemoProviderConfig;

export function isProviderName(value: string): value is ProviderName {
  return (PROVIDER_NAMES as readonly string[]).includes(value);
}

export async function createProvider(config: ProviderConfig): Promise<StreamerProvider> {
  return config.provider === 'demo' ? createDemoProvider(config) : createBrokerProvider(config);
}

function createBrokerProvider(config: BrokerProviderConfig): StreamerProvider {
  const dialect: Dialect = config.provider;
  const initial = config.tokens;
  if (initial.provider !== dialect) throw new ProviderError(`the saved tokens are ${initial.provider} tokens, not ${dialect} ones`);
  const apiBase = config.apiBase ?? DEFAULT_ENDPOINTS[dialect].apiBase;
  const tokens = new TokenManager({
    ctx: { dialect, apiBase, app: config.app },
    initial,
    persist: config.persist,
    onError: config.onTokenError,
  });
  tokens.start();
  return new OAuthStreamerProvider({ name: dialect, dialect, apiBase, tokens, accountId: config.accountId });
}

const DEMO_APP: AppCredentials = { appKey: 'tapedeck-demo', appSecret: 'tapedeck-demo-secret' };
const DEMO_CALLBACK = 'https://127.0.0.1:8182';

async function createDemoProvider(config: DemoProviderConfig): Promise<StreamerProvider> {
  const sim = await SimThread.start({
    rate: config.rate,
    symbols: config.symbols,
    seed: config.seed,
    faults: config.faults,
    barMs: config.barMs,
  });
  try {
    const code = await sim.issueAuthorizationCode('schwab', DEMO_APP.appKey, DEMO_CALLBACK, 'demo');
    const ctx = { dialect: 'schwab' as const, apiBase: sim.url, app: DEMO_APP };
    const initial = await exchangeCode(ctx, code, DEMO_CALLBACK);
    const tokens = new TokenManager({ ctx, initial });
    tokens.start();
    return new OAuthStreamerProvider({
      name: 'demo',
      dialect: 'schwab',
      apiBase: sim.url,
      tokens,
      simulated: true,
      onClose: () => sim.close(),
    });
  } catch (err) {
    await sim.close();
    throw err;
  }
}
