/**
 * Trading calendar of the simulated markets, in New York time: which days trade and the session
 * windows of each market. Weekdays trade; exchange holidays are not modelled. Used by price history
 * (which minutes have candles, which day closed last) and the market-hours endpoints.
 *
 * | market | sessions (ET) |
 * |---|---|
 * | equity | pre 07:00-09:30, regular 09:30-16:00, post 16:00-20:00 |
 * | option | regular 09:30-16:00 (index options to 16:15) |
 * | future | 18:00 the evening before - 17:00 |
 * | forex | 17:00 the evening before - 17:00 |
 * | bond | pre 07:00-08:00, regular 08:00-17:00, post 17:00-20:00 |
 */
import { easternMs } from './clock.js';

const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

export interface Window {
  start: number;
  end: number;
}

export interface DaySessions {
  pre: Window[];
  regular: Window[];
  post: Window[];
}

export type MarketName = 'equity' | 'option' | 'future' | 'forex' | 'bond';
export type PriceKind = 'equity' | 'index' | 'option' | 'future' | 'future-option' | 'forex';

/** The New York calendar day of `t`, as days since 1970-01-01. */
export const nyDay = (t: number): number => Math.floor(easternMs(t) / DAY_MS);

/** 0 Sunday … 6 Saturday, of a day number. */
export const weekday = (day: number): number => (((day + 4) % 7) + 7) % 7;
export const isTradingDay = (day: number): boolean => weekday(day) >= 1 && weekday(day) <= 5;

/** Day number of the n-th (1-based; 0 = last) given weekday of a month. */
function nthWeekday(year: number, month: number, wd: number, n: number): number {
  if (n === 0) {
    const last = Math.floor(Date.UTC(year, month + 1, 0) / DAY_MS);
    return last - ((weekday(last) - wd + 7) % 7);
  }
  const first = Math.floor(Date.UTC(year, month, 1) / DAY_MS);
  return first + ((wd - weekday(first) + 7) % 7) + (n - 1) * 7;
}

/** Whether New York is on daylight time at a local wall-clock moment (US rules since 1987, changed 2007). */
function easternDst(localMs: number): boolean {
  const year = new Date(localMs).getUTCFullYear();
  const [start, end] = year >= 2007 ? [nthWeekday(year, 2, 0, 2), nthWeekday(year, 10, 0, 1)] : [nthWeekday(year, 3, 0, 1), nthWeekday(year, 9, 0, 0)];
  return localMs >= start * DAY_MS + 2 * HOUR_MS && localMs < end * DAY_MS + 2 * HOUR_MS;
}

/** Epoch ms of `hours` (may be fractional, or negative for the evening before) New York time on `day`. */
export function nyTime(day: number, hours: number): number {
  const local = day * DAY_MS + hours * HOUR_MS;
  // By rule rather than through Intl: history asks this for thousands of days.
  return local + (easternDst(local) ? 4 : 5) * HOUR_MS;
}

/** The trading day on or before `day`. */
export function tradingDayOnOrBefore(day: number): number {
  let d = day;
  while (!isTradingDay(d)) d--;
  return d;
}

export function previousTradingDay(day: number): number {
  return tradingDayOnOrBefore(day - 1);
}

/** Sessions of one market on one trading day (empty on weekends). */
export function marketSessions(market: MarketName, day: number, product = ''): DaySessions {
  const none: DaySessions = { pre: [], regular: [], post: [] };
  if (!isTradingDay(day)) return none;
  const w = (from: number, to: number): Window[] => [{ start: nyTime(day, from), end: nyTime(day, to) }];
  switch (market) {
    case 'equity': return { pre: w(7, 9.5), regular: w(9.5, 16), post: w(16, 20) };
    case 'option': return { pre: [], regular: w(9.5, product === 'IND' ? 16.25 : 16), post: [] };
    case 'future': return { pre: [], regular: w(-6, 17), post: [] };
    case 'forex': return { pre: [], regular: w(-7, 17), post: [] };
    case 'bond': return { pre: w(7, 8), regular: w(8, 17), post: w(17, 20) };
  }
}

export function marketOf(kind: PriceKind): MarketName {
  switch (kind) {
    case 'equity':
    case 'index': return 'equity';
    case 'option': return 'option';
    case 'future':
    case 'future-option': return 'future';
    case 'forex': return 'forex';
  }
}

/** The windows in which an instrument trades on `day`: the regular session, plus pre/post when `extended`. */
export function tradingWindows(kind: PriceKind, day: number, extended: boolean): Window[] {
  const s = marketSessions(marketOf(kind), day);
  return extended && kind !== 'index' ? [...s.pre, ...s.regular, ...s.post] : s.regular;
}

/** The regular session's open and close of `day` for an instrument (the daily candle's open and close). */
export function regularSession(kind: PriceKind, day: number): Window {
  const s = marketSessions(marketOf(kind), tradingDayOnOrBefore(day)).regular[0]!;
  return s;
}

/**
 * The session day a quote belongs to at `t`: the trading day whose regular session opens next or is
 * running (futures and forex roll at 18:00/17:00 ET to the next day; weekends show the last Friday).
 */
export function sessionDay(kind: PriceKind, t: number): number {
  const day = nyDay(t);
  const market = marketOf(kind);
  if ((market === 'future' || market === 'forex') && t >= nyTime(day, 17)) {
    const next = day + 1;
    if (isTradingDay(next)) return next;
  }
  return tradingDayOnOrBefore(day);
}

/** Start of the daily candle of `day`: midnight US Central, as the brokers' daily candles are stamped. */
export function dailyCandleTime(day: number): number {
  return nyTime(day, 1);
}
