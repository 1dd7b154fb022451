/**
 * Schwab's REST market data (docs/protocol/schwab.md §11): `GET /marketdata/v1/quotes`,
 * `/marketdata/v1/pricehistory`, `/marketdata/v1/markets`. A quote is `{symbol, quote: {...},
 * reference: {...}}` per symbol, unknown symbols listed under `errors`; its values are copied onto
 * the LEVELONE_* field names the streamer fills, so a snapshot and a stream update merge.
 */
import * as v from 'valibot';
import { isObject, mapFields, parse, parseCandles, parseMarketHours } from './market-data-shapes.js';
import type { MarketDataDialect, RestQuote } from './market-data-types.js';

const QUOTE_FIELDS = [
  ['bidPrice', 'bid_price'], ['askPrice', 'ask_price'], ['lastPrice', 'last_price'], ['bidSize', 'bid_size'], ['askSize', 'ask_size'],
  ['lastSize', 'last_size'], ['totalVolume', 'total_volume'], ['highPrice', 'high_price'], ['lowPrice', 'low_price'], ['closePrice', 'close_price'],
  ['openPrice', 'open_price'], ['netChange', 'net_change'], ['netPercentChange', 'net_change_percent'], ['mark', 'mark'],
  ['securityStatus', 'security_status'], ['quoteTime', 'quote_time_millis'], ['tradeTime', 'trade_time_millis'],
  ['52WeekHigh', 'high_price_52_week'], ['52WeekLow', 'low_price_52_week'], ['markChange', 'mark_change'], ['markPercentChange', 'mark_change_percent'],
] as const;
const REFERENCE_FIELDS = [['description', 'description'], ['exchangeName', 'exchange_name']] as const;

const QuoteEntry = v.looseObject({
  symbol: v.optional(v.string()),
  quote: v.optional(v.record(v.string(), v.unknown())),
  reference: v.optional(v.record(v.string(), v.unknown())),
});
const QuotesSchema = v.record(v.string(), v.unknown());

export const schwabMarketData: MarketDataDialect = {
  quotesRequest: (symbols) => ({ path: '/marketdata/v1/quotes', query: { symbols: symbols.join(','), fields: 'quote,reference' } }),

  parseQuotes(body) {
    const all = parse(QuotesSchema, body, 'quotes');
    const out: RestQuote[] = [];
    for (const [key, raw] of Object.entries(all)) {
      if (key === 'errors' || !isObject(raw)) continue;
      const entry = parse(QuoteEntry, raw, `quotes.${key.slice(0, 32)}`);
      const quote = entry.quote ?? {};
      const fields = { ...mapFields(quote, QUOTE_FIELDS), ...mapFields(entry.reference ?? {}, REFERENCE_FIELDS) };
      const times = [fields.trade_time_millis, fields.quote_time_millis].filter((t): t is number => typeof t === 'number' && t > 0);
      out.push({ symbol: entry.symbol ?? key, fields, ts: times.length > 0 ? Math.max(...times) : null });
    }
    return out;
  },

  historyRequest: (symbol, p) => ({
    path: '/marketdata/v1/pricehistory',
    query: { symbol, periodType: p.periodType, period: String(p.period), frequencyType: p.frequencyType, frequency: String(p.frequency), needExtendedHoursData: 'true' },
  }),
  parseHistory: parseCandles,

  hoursRequest: (market, date) => ({ path: '/marketdata/v1/markets', query: { markets: market, date } }),
  parseHours: (body, market, date) => parseMarketHours(body, market, date, 'EQ'),
};
