/**
 * Per-symbol series a detail panel needs and the merged state does not keep: one-minute bars from
 * CHART_* and the tape. Schwab has no TIMESALE service (docs/protocol/schwab.md §7), so there the tape is derived
 * from level-one trade fields changing (last price, last size, trade time); on the TD dialect it
 * comes from TIMESALE_* items.
 */
import type { Trade, SymbolDetail } from '../../../shared/api.js';
import type { QuoteRecord } from '../../../shared/engine-events.js';
import type { Candle, FieldValue, MarketUpdate } from '../../../shared/market.js';

const MAX_BARS = 1500;
const MAX_TRADES = 500;

const num = (v: FieldValue | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function barFrom(fields: Record<string, FieldValue>): Candle | null {
  const time = num(fields.chart_time_millis) ?? num(fields.chart_time);
  const open = num(fields.open_price);
  const high = num(fields.high_price);
  const low = num(fields.low_price);
  const close = num(fields.close_price);
  if (time === null || open === null || high === null || low === null || close === null) return null;
  return { time, open, high, low, close, volume: num(fields.volume) ?? 0 };
}

function sideOf(price: number, merged: Record<string, FieldValue>): Trade['side'] {
  const bid = num(merged.bid_price);
  const ask = num(merged.ask_price);
  if (bid === null || ask === null) return null;
  if (price >= ask) return 'buy';
  if (price <= bid) return 'sell';
  return 'mid';
}

export type SeriesChange = { symbol: string; bar: Candle; trade?: undefined } | { symbol: string; trade: Trade; bar?: undefined };

export class MarketDetail {
  private readonly bars = new Map<string, Candle[]>();
  private readonly trades = new Map<string, Trade[]>();

  /** Feeds one update as received; returns the bar or trade it added or changed, if any. */
  observe(update: MarketUpdate, merged: QuoteRecord): SeriesChange | null {
    const { service, key, fields } = update;
    if (service.startsWith('CHART_')) {
      const bar = barFrom(merged.fields);
      if (!bar) return null;
      const list = this.bars.get(key) ?? [];
      const last = list[list.length - 1];
      if (last && last.time === bar.time) list[list.length - 1] = bar;
      else if (!last || last.time < bar.time) list.push(bar);
      else return null;
      if (list.length > MAX_BARS) list.splice(0, list.length - MAX_BARS);
      this.bars.set(key, list);
      return { symbol: key, bar };
    }
    let trade: Trade | null = null;
    if (service.startsWith('TIMESALE_')) {
      const price = num(fields.last_price);
      if (price !== null) trade = { time: num(fields.trade_time) ?? update.ts, price, size: num(fields.last_size) ?? 0, side: null };
    } else if (service.startsWith('LEVELONE_') || service === 'QUOTE') {
      // A trade is a change of the trade time or of the last size/price; a quote-only change is not.
      const traded = 'trade_time_millis' in fields || 'trade_time_in_long' in fields || 'last_size' in fields || 'last_price' in fields;
      const price = num(merged.fields.last_price);
      if (traded && price !== null && !update.meta.assetMainType) {
        const time = num(merged.fields.trade_time_millis) ?? num(merged.fields.trade_time_in_long) ?? update.ts;
        trade = { time, price, size: num(merged.fields.last_size) ?? 0, side: sideOf(price, merged.fields) };
      }
    }
    if (!trade) return null;
    const list = this.trades.get(key) ?? [];
    list.push(trade);
    if (list.length > MAX_TRADES) list.splice(0, list.length - MAX_TRADES);
    this.trades.set(key, list);
    return { symbol: key, trade };
  }

  /** The live series of a symbol (one-minute bars as streamed; the detail service adds history and the interval). */
  detail(symbol: string): Pick<SymbolDetail, 'symbol' | 'bars' | 'trades'> {
    return { symbol, bars: [...(this.bars.get(symbol) ?? [])], trades: [...(this.trades.get(symbol) ?? [])] };
  }

  clear(): void {
    this.bars.clear();
    this.trades.clear();
  }
}
