/** What a provider's REST market data client answers, the same for both dialects. */
import type { ChartInterval } from '../../../shared/chart-interval.js';
import type { MarketHours } from '../../../shared/market-session.js';
import type { Candle, FieldValue } from '../../../shared/market.js';

/** One symbol's REST quote, its values under the level-one field names the dialect's streamer uses. */
export interface RestQuote {
  symbol: string;
  /** Streamer field names (bid_price, trade_time_millis / trade_time_in_long…) → values. */
  fields: Record<string, FieldValue>;
  /** The quote's own time (its trade or quote time), ms epoch; null when it sent none. */
  ts: number | null;
}

export type HoursMarket = 'equity' | 'option' | 'future' | 'bond' | 'forex';

export interface MarketDataClient {
  /** Quotes of the symbols it knows (unknown symbols are left out). */
  quotes(symbols: readonly string[]): Promise<RestQuote[]>;
  /** Candles for a chart interval, oldest first. */
  priceHistory(symbol: string, interval: ChartInterval): Promise<Candle[]>;
  /** One market's hours on a New York date (yyyy-MM-dd). */
  marketHours(market: HoursMarket, date: string): Promise<MarketHours>;
  close(): void;
}

/** A REST request: a path under the API base and its query. */
export interface RestRequest {
  path: string;
  query: Record<string, string>;
}

/** The request parameters of a chart interval's history (both dialects take the same names). */
export interface HistoryParams {
  periodType: 'day' | 'year';
  period: number;
  frequencyType: 'minute' | 'daily';
  frequency: number;
}

/** How one dialect spells the requests and its answers (market-data-schwab.ts, market-data-td.ts). */
export interface MarketDataDialect {
  quotesRequest(symbols: readonly string[]): RestRequest;
  parseQuotes(body: unknown): RestQuote[];
  historyRequest(symbol: string, params: HistoryParams): RestRequest;
  parseHistory(body: unknown): Candle[];
  hoursRequest(market: HoursMarket, date: string): RestRequest;
  parseHours(body: unknown, market: HoursMarket, date: string): MarketHours;
}
