/**
 * TD Ameritrade's REST market data (docs/protocol/tdameritrade.md §11): `GET /v1/marketdata/quotes`,
 * `/v1/marketdata/{symbol}/pricehistory`, `/v1/marketdata/{market}/hours`. A quote is one flat
 * object per symbol, futures and forex spelling prices `…InDouble` and sizes `…InLong`; its values
 * are copied onto the QUOTE / LEVELONE_* field names the TD streamer fills.
 */
import * as v from 'valibot';
import { isObject, mapFields, parse, parseCandles, parseMarketHours } from './market-data-shapes.js';
import type { MarketDataDialect, RestQuote } from './market-data-types.js';

const QUOTE_FIELDS = [
  [['bidPrice', 'bidPriceInDouble'], 'bid_price'], [['askPrice', 'askPriceInDouble'], 'ask_price'], [['lastPrice', 'lastPriceInDouble'], 'last_price'],
  [['bidSize', 'bidSizeInLong'], 'bid_size'], [['askSize', 'askSizeInLong'], 'ask_size'], [['lastSize', 'lastSizeInLong'], 'last_size'],
  ['totalVolume', 'total_volume'], [['highPrice', 'highPriceInDouble'], 'high_price'], [['lowPrice', 'lowPriceInDouble'], 'low_price'],
  [['closePrice', 'closePriceInDouble'], 'close_price'], [['openPrice', 'openPriceInDouble'], 'open_price'], [['netChange', 'changeInDouble'], 'net_change'],
  ['mark', 'mark'], ['securityStatus', 'security_status'], ['description', 'description'], ['exchangeName', 'exchange_name'],
  ['quoteTimeInLong', 'quote_time_in_long'], ['tradeTimeInLong', 'trade_time_in_long'], ['52WkHigh', 'high_52_week'], ['52WkLow', 'low_52_week'],
  ['digits', 'digits'],
] as const;

const QuotesSchema = v.record(v.string(), v.unknown());

export const tdMarketData: MarketDataDialect = {
  quotesRequest: (symbols) => ({ path: '/v1/marketdata/quotes', query: { symbol: symbols.join(',') } }),

  parseQuotes(body) {
    const all = parse(QuotesSchema, body, 'quotes');
    const out: RestQuote[] = [];
    for (const [key, raw] of Object.entries(all)) {
      if (!isObject(raw)) continue;
      const fields = mapFields(raw, QUOTE_FIELDS);
      const times = [fields.trade_time_in_long, fields.quote_time_in_long].filter((t): t is number => typeof t === 'number' && t > 0);
      out.push({ symbol: typeof raw.symbol === 'string' ? raw.symbol : key, fields, ts: times.length > 0 ? Math.max(...times) : null });
    }
    return out;
  },

  historyRequest: (symbol, p) => ({
    path: `/v1/marketdata/${encodeURIComponent(symbol)}/pricehistory`,
    query: { periodType: p.periodType, period: String(p.period), frequencyType: p.frequencyType, frequency: String(p.frequency), needExtendedHoursData: 'true' },
  }),
  parseHistory: parseCandles,

  hoursRequest: (market, date) => ({ path: `/v1/marketdata/${market.toUpperCase()}/hours`, query: { date } }),
  parseHours: (body, market, date) => parseMarketHours(body, market, date, 'EQ'),
};
