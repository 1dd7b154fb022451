/** A broker provider (schwab or tdameritrade) reached with OAuth tokens: real service, simulator or test server. */
import type { Dialect } from '../../../shared/protocol/services.js';
import type { TokenManager } from '../auth/token-manager.js';
import { UnauthorizedError } from './http-json.js';
import { RestMarketDataClient } from './market-data-client.js';
import type { RateLimiter } from './rate-limiter.js';
import { schwabStreamerLogin, tdStreamerLogin } from './principals.js';
import type { ProviderName, StreamerLogin, StreamerProvider } from './types.js';

export interface OAuthProviderOptions {
  name: ProviderName;
  dialect: Dialect;
  apiBase: string;
  tokens: TokenManager;
  simulated?: boolean;
  /** TD only: which linked account streams (default: the first). */
  accountId?: string;
  onClose?: () => Promise<void>;
  /** The REST calls' rate limit (default: Schwab's 120 a minute). */
  limiter?: RateLimiter;
}

export class OAuthStreamerProvider implements StreamerProvider {
  readonly name: ProviderName;
  readonly dialect: Dialect;
  readonly simulated: boolean;
  readonly marketData: RestMarketDataClient;

  constructor(private readonly opts: OAuthProviderOptions) {
    this.name = opts.name;
    this.dialect = opts.dialect;
    this.simulated = opts.simulated ?? false;
    this.marketData = new RestMarketDataClient({
      dialect: opts.dialect,
      apiBase: opts.apiBase,
      accessToken: () => opts.tokens.accessToken(),
      refreshToken: async () => (await opts.tokens.refresh()).access_token,
      limiter: opts.limiter,
    });
  }

  private fetchLogin(accessToken: string): Promise<StreamerLogin> {
    return this.dialect === 'schwab'
      ? schwabStreamerLogin(this.opts.apiBase, accessToken)
      : tdStreamerLogin(this.opts.apiBase, accessToken, this.opts.accountId);
  }

  async streamerLogin(): Promise<StreamerLogin> {
    const token = await this.opts.tokens.accessToken();
    try {
      return await this.fetchLogin(token);
    } catch (err) {
      // The server may have revoked the token before its stated expiry: refresh once and retry.
      if (!(err instanceof UnauthorizedError)) throw err;
      const next = await this.opts.tokens.refresh();
      return this.fetchLogin(next.access_token);
    }
  }

  async recoverFromDeniedLogin(): Promise<boolean> {
    await this.opts.tokens.refresh();
    return true;
  }

  async close(): Promise<void> {
    this.marketData.close();
    this.opts.tokens.stop();
    await this.opts.onClose?.();
  }
}
