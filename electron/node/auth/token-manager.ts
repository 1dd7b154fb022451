/**
 * Keeps an access token fresh: refreshes ahead of expiry (single flight), persists every refresh
 * (refresh-token rotation included) before anyone uses the new token, and says clearly when the
 * refresh token itself has run out.
 */
import { LoginRequiredError } from './oauth-flow.js';
import { refreshTokens, type TokenRequestContext } from './token-endpoint.js';
import type { TokenSet } from './tokens.js';

export interface TokenManagerOptions {
  ctx: TokenRequestContext;
  initial: TokenSet;
  /** Called with every new token set before it is handed out (write the token file here). */
  persist?: (tokens: TokenSet) => void;
  /** Refresh this long before expiry at most; a quarter of the token's lifetime at least. */
  maxLeewayMs?: number;
  onRefreshed?: (tokens: TokenSet) => void;
  onError?: (err: Error) => void;
  now?: () => number;
}

export class TokenManager {
  private tokens: TokenSet;
  private obtainedAt: number;
  private inflight: Promise<TokenSet> | null = null;
  private timer: NodeJS.Timeout | null = null;
  private readonly now: () => number;

  constructor(private readonly opts: TokenManagerOptions) {
    this.tokens = opts.initial;
    this.now = opts.now ?? Date.now;
    this.obtainedAt = this.now();
  }

  current(): TokenSet {
    return this.tokens;
  }

  private leewayMs(): number {
    const lifetime = Math.max(0, this.tokens.expires_at - this.obtainedAt);
    return Math.min(this.opts.maxLeewayMs ?? 5 * 60_000, Math.max(lifetime / 4, 0));
  }

  needsRefresh(): boolean {
    return this.now() >= this.tokens.expires_at - this.leewayMs();
  }

  /** A usable access token, refreshed first when it is expired or about to be. */
  async accessToken(): Promise<string> {
    if (this.needsRefresh()) await this.refresh();
    return this.tokens.access_token;
  }

  /** Refreshes now; concurrent callers share one request. */
  refresh(): Promise<TokenSet> {
    if (!this.inflight) {
      this.inflight = this.doRefresh().finally(() => {
        this.inflight = null;
      });
    }
    return this.inflight;
  }

  private async doRefresh(): Promise<TokenSet> {
    const { refresh_expires_at } = this.tokens;
    if (refresh_expires_at > 0 && this.now() >= refresh_expires_at) {
      throw new LoginRequiredError(
        `log in again: the saved login expired on ${new Date(refresh_expires_at).toISOString()} (run tapedeck login, or Log in in the app)`,
      );
    }
    const next = await refreshTokens(this.opts.ctx, this.tokens);
    this.opts.persist?.(next);
    this.tokens = next;
    this.obtainedAt = this.now();
    this.opts.onRefreshed?.(next);
    this.schedule();
    return next;
  }

  /** Keeps refreshing ahead of expiry until stop(); failures are reported and retried. */
  start(): void {
    this.started = true;
    this.schedule();
  }

  private schedule(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.stopped || !this.started) return;
    const due = this.tokens.expires_at - this.leewayMs() - this.now();
    this.timer = setTimeout(() => {
      this.refresh().catch((err: Error) => {
        this.opts.onError?.(err);
        // Retry soon; a transient network error must not leave the token to expire. A refused
        // login is final: only a new browser login helps, so asking again would only be refused.
        if (!this.stopped && !(err instanceof LoginRequiredError)) this.timer = setTimeout(() => this.schedule(), 5_000).unref();
      });
    }, Math.max(0, due));
    this.timer.unref();
  }

  private stopped = false;
  private started = false;

  stop(): void {
    this.stopped = true;
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
  }
}
