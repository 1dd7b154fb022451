/**
 * REST market data for a provider, either dialect, under its API base: quotes, price history and
 * market hours. Every call takes a token from the provider's rate limiter first (Schwab: 120 a
 * minute), carries the same Bearer access token the streamer login uses (refreshed once when the
 * server refuses it), waits out a 429's Retry-After and tries again, and checks the answer's shape
 * before anything uses it. Failures are one ProviderError saying what was asked and why it failed.
 */
import type { ChartInterval } from '../../../shared/chart-interval.js';
import type { MarketHours } from '../../../shared/market-session.js';
import type { Candle } from '../../../shared/market.js';
import type { Dialect } from '../../../shared/protocol/services.js';
import { endpointUrl } from '../auth/endpoints.js';
import { getJson, HttpStatusError, UnauthorizedError } from './http-json.js';
import { schwabMarketData } from './market-data-schwab.js';
import { tdMarketData } from './market-data-td.js';
import type { HistoryParams, HoursMarket, MarketDataClient, MarketDataDialect, RestQuote, RestRequest } from './market-data-types.js';
import { RateLimiter, SCHWAB_REQUESTS_PER_MINUTE } from './rate-limiter.js';
import { ProviderError } from './types.js';

/** Both references cap a quotes call at 500 symbols. */
const SYMBOLS_PER_CALL = 500;
/** Tries of one call answered 429 (Too Many Requests) before it fails. */
const MAX_TRIES_429 = 4;
/** Without a Retry-After, a 429 waits this long (doubling each time). */
const DEFAULT_429_WAIT_MS = 1000;

/** What each chart interval asks for: enough bars to fill a chart, within the references' allowed periods. */
export const HISTORY_PARAMS: Record<ChartInterval, HistoryParams> = {
  '1m': { periodType: 'day', period: 1, frequencyType: 'minute', frequency: 1 },
  '5m': { periodType: 'day', period: 5, frequencyType: 'minute', frequency: 5 },
  '15m': { periodType: 'day', period: 10, frequencyType: 'minute', frequency: 15 },
  '1d': { periodType: 'year', period: 1, frequencyType: 'daily', frequency: 1 },
};

export interface RestClientOptions {
  dialect: Dialect;
  apiBase: string;
  /** A usable access token (the token manager's, refreshed ahead of expiry). */
  accessToken: () => Promise<string>;
  /** A new access token after a 401 (the server revoked the one it had). */
  refreshToken?: () => Promise<string>;
  /** Shared by every REST call of the provider; default: 120 requests a minute. */
  limiter?: RateLimiter;
}

const DIALECTS: Record<Dialect, MarketDataDialect> = { schwab: schwabMarketData, tdameritrade: tdMarketData };

export class RestMarketDataClient implements MarketDataClient {
  readonly limiter: RateLimiter;
  private readonly shapes: MarketDataDialect;

  constructor(private readonly opts: RestClientOptions) {
    this.limiter = opts.limiter ?? new RateLimiter({ limit: SCHWAB_REQUESTS_PER_MINUTE });
    this.shapes = DIALECTS[opts.dialect];
  }

  async quotes(symbols: readonly string[]): Promise<RestQuote[]> {
    const out: RestQuote[] = [];
    for (let i = 0; i < symbols.length; i += SYMBOLS_PER_CALL) {
      const chunk = symbols.slice(i, i + SYMBOLS_PER_CALL);
      const body = await this.get(this.shapes.quotesRequest(chunk), `quotes for ${describe(chunk)}`);
      out.push(...this.shapes.parseQuotes(body));
    }
    return out;
  }

  async priceHistory(symbol: string, interval: ChartInterval): Promise<Candle[]> {
    const body = await this.get(this.shapes.historyRequest(symbol, HISTORY_PARAMS[interval]), `price history of ${symbol}`);
    return this.shapes.parseHistory(body);
  }

  async marketHours(market: HoursMarket, date: string): Promise<MarketHours> {
    const body = await this.get(this.shapes.hoursRequest(market, date), `${market} market hours`);
    return this.shapes.parseHours(body, market, date);
  }

  close(): void {
    this.limiter.stop();
  }

  private async get(req: RestRequest, what: string): Promise<unknown> {
    const query = new URLSearchParams(req.query).toString();
    const url = endpointUrl(this.opts.apiBase, req.path) + (query ? `?${query}` : '');
    let token = await this.opts.accessToken();
    let refreshed = false;
    for (let tries = 1; ; tries++) {
      await this.limiter.acquire();
      try {
        return await getJson(url, token);
      } catch (err) {
        if (err instanceof UnauthorizedError && !refreshed && this.opts.refreshToken) {
          refreshed = true;
          token = await this.opts.refreshToken().catch((e: Error) => {
            throw new ProviderError(`${what}: the access token was refused and could not be refreshed: ${e.message}`);
          });
          continue;
        }
        if (err instanceof HttpStatusError && err.status === 429 && tries < MAX_TRIES_429) {
          this.limiter.pauseFor(err.retryAfterMs ?? DEFAULT_429_WAIT_MS * 2 ** (tries - 1));
          continue;
        }
        throw new ProviderError(`${what}: ${(err as Error).message}`);
      }
    }
  }
}

const describe = (symbols: readonly string[]) => (symbols.length <= 3 ? symbols.join(', ') : `${symbols.slice(0, 3).join(', ')} and ${symbols.length - 3} more`);
