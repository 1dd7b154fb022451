/**
 * The Level I grid's columns as data: which field of a record each shows, in every dialect and
 * asset class (field names come from shared/protocol/fields.*.ts), and how it is formatted.
 */
import type { ColumnId } from '../../../shared/columns.js';
import type { QuoteRecord } from '../../../shared/engine-events.js';
import type { FieldValue } from '../../../shared/market.js';
import { formatTime } from '../../../shared/time-zone.js';

export type { ColumnId };

export interface Column {
  id: ColumnId;
  label: string;
  /** What the column is, for the header's tooltip and screen readers. */
  title: string;
  numeric: boolean;
  width: number;
  /** Flash on change (prices only). */
  flash: boolean;
  value(r: QuoteRecord | undefined): number | string | null;
}

const num = (v: FieldValue | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);
const first = (r: QuoteRecord | undefined, ...names: string[]): number | null => {
  if (!r) return null;
  for (const n of names) {
    const v = num(r.fields[n]);
    if (v !== null) return v;
  }
  return null;
};

/** Percent change from net change and previous close where both exist (the same in every dialect), else the sent field. */
export function percentChange(r: QuoteRecord | undefined): number | null {
  const net = first(r, 'net_change');
  const close = first(r, 'close_price');
  if (net !== null && close !== null && close !== 0) return (net / close) * 100;
  return first(r, 'net_change_percent', 'change_percent', 'net_percent_change');
}

/** Last trade time in ms: *_millis / *_in_long everywhere; TD futures and forex send ms in trade_time. */
export function tradeTime(r: QuoteRecord | undefined): number | null {
  const t = first(r, 'trade_time_millis', 'trade_time_in_long');
  if (t !== null) return t;
  const legacy = first(r, 'trade_time');
  return legacy !== null && legacy > 1e11 ? legacy : null;
}

export const COLUMNS: Column[] = [
  { id: 'symbol', title: 'Symbol', label: 'Symbol', numeric: false, width: 110, flash: false, value: (r) => r?.key ?? null },
  { id: 'last', title: 'Last trade price', label: 'Last', numeric: true, width: 84, flash: true, value: (r) => first(r, 'last_price') },
  { id: 'change', title: 'Net change from the previous close', label: 'Net Chg', numeric: true, width: 76, flash: false, value: (r) => first(r, 'net_change') },
  { id: 'percent', title: 'Percent change from the previous close', label: '% Chg', numeric: true, width: 66, flash: false, value: percentChange },
  { id: 'bid', title: 'Best bid', label: 'Bid', numeric: true, width: 84, flash: true, value: (r) => first(r, 'bid_price') },
  { id: 'ask', title: 'Best ask', label: 'Ask', numeric: true, width: 84, flash: true, value: (r) => first(r, 'ask_price') },
  { id: 'bidSize', title: 'Bid size', label: 'Bid Sz', numeric: true, width: 62, flash: false, value: (r) => first(r, 'bid_size') },
  { id: 'askSize', title: 'Ask size', label: 'Ask Sz', numeric: true, width: 62, flash: false, value: (r) => first(r, 'ask_size') },
  { id: 'volume', title: 'Total volume today', label: 'Volume', numeric: true, width: 96, flash: false, value: (r) => first(r, 'total_volume') },
  { id: 'high', title: 'High of the day', label: 'High', numeric: true, width: 78, flash: false, value: (r) => first(r, 'high_price') },
  { id: 'low', title: 'Low of the day', label: 'Low', numeric: true, width: 78, flash: false, value: (r) => first(r, 'low_price') },
  { id: 'open', title: 'Open', label: 'Open', numeric: true, width: 78, flash: false, value: (r) => first(r, 'open_price') },
  { id: 'close', title: 'Previous close', label: 'Close', numeric: true, width: 78, flash: false, value: (r) => first(r, 'close_price') },
  { id: 'time', title: 'Time of the last trade', label: 'Trade Time', numeric: true, width: 86, flash: false, value: tradeTime },
  { id: 'delayed', title: 'Delayed quote (D)', label: 'D', numeric: false, width: 26, flash: false, value: (r) => (r?.meta.delayed ? 'D' : '') },
];

const priceFmt = new Map<number, Intl.NumberFormat>();
function price(v: number, digits: number): string {
  let f = priceFmt.get(digits);
  if (!f) {
    f = new Intl.NumberFormat('en-US', { minimumFractionDigits: digits, maximumFractionDigits: digits });
    priceFmt.set(digits, f);
  }
  return f.format(v);
}
const intFmt = new Intl.NumberFormat('en-US', { maximumFractionDigits: 0 });
/** Sizes and volumes as trading screens show them: 950, 5K, 12.5K, 1.2M, 3.4B. */
const compactFmt = new Intl.NumberFormat('en-US', { notation: 'compact', maximumFractionDigits: 1 });

/** The exact value behind a cell whose text is shortened, for its tooltip; null when the text is exact. */
export function exactValue(col: Column, r: QuoteRecord | undefined): string | null {
  const v = col.value(r);
  if (typeof v !== 'number') return typeof v === 'string' && v.length > 12 ? v : null;
  if (col.id === 'bidSize' || col.id === 'askSize' || col.id === 'volume') return Math.abs(v) >= 1000 ? intFmt.format(v) : null;
  return null;
}

/** Decimal places for a price: the record's own `digits` field if sent, else by magnitude. */
export function digitsFor(r: QuoteRecord | undefined, v: number): number {
  const d = num(r?.fields.digits);
  if (d !== null && d >= 0 && d <= 6) return d;
  return Math.abs(v) < 10 && v % 1 !== 0 && String(v).split('.')[1]!.length > 2 ? 4 : 2;
}

/** A cell's text; times in the zone the user chose (an IANA name). */
export function formatCell(col: Column, r: QuoteRecord | undefined, zone: string): string {
  const v = col.value(r);
  if (v === null || v === '') return '';
  if (typeof v === 'string') return v;
  switch (col.id) {
    case 'bidSize': case 'askSize':
      return Math.abs(v) >= 1000 ? compactFmt.format(v) : intFmt.format(v);
    case 'volume':
      return Math.abs(v) >= 1_000_000 ? compactFmt.format(v) : intFmt.format(v);
    case 'percent':
      return `${v > 0 ? '+' : ''}${v.toFixed(2)}%`;
    case 'change':
      return `${v > 0 ? '+' : ''}${price(v, digitsFor(r, v))}`;
    case 'time':
      return formatTime(v, zone);
    default:
      return price(v, digitsFor(r, v));
  }
}

/** Sorts symbols by a column; blanks last, then by symbol, so the order is stable. */
export function sortSymbols(symbols: string[], col: Column, dir: 'asc' | 'desc', recordOf: (s: string) => QuoteRecord | undefined): string[] {
  const keyed = symbols.map((s) => ({ s, v: col.value(recordOf(s)) }));
  const sign = dir === 'asc' ? 1 : -1;
  keyed.sort((a, b) => {
    if (a.v === null || a.v === '') return b.v === null || b.v === '' ? a.s.localeCompare(b.s) : 1;
    if (b.v === null || b.v === '') return -1;
    const c = typeof a.v === 'number' && typeof b.v === 'number' ? a.v - b.v : String(a.v).localeCompare(String(b.v));
    return c !== 0 ? c * sign : a.s.localeCompare(b.s);
  });
  return keyed.map((k) => k.s);
}

/**
 * A quote is stale when nothing arrived for a while or trading is halted or closed. While the
 * market is closed (`marketClosed`: the session from the provider's market hours) silence is
 * expected, so only a halt dims a row.
 */
export function isStale(r: QuoteRecord | undefined, now: number, afterMs = 60_000, marketClosed = false): boolean {
  if (!r) return true;
  const status = r.fields.security_status;
  if (marketClosed) return status === 'Halted';
  if (status === 'Halted' || status === 'Closed') return true;
  return now - r.receivedAt > afterMs;
}
