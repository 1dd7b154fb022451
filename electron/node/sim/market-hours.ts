/**
 * Market hours (Schwab `GET /marketdata/v1/markets`, `/markets/{market_id}`; TD
 * `GET /v1/marketdata/{market}/hours`, `/v1/marketdata/hours`; docs/protocol/schwab.md §11.4,
 * docs/protocol/tdameritrade.md §11.4): per market, per product, the pre, regular and post sessions
 * of one date from the simulator's calendar (sessions.ts), times in ISO-8601 with the New York offset.
 * A closed day answers `isOpen: false` without session hours, under the market's own name.
 * `sim --market` forces the answer: closed makes every day a closed one; open makes every day a
 * trading day whose regular session is the whole New York day, so the market is open at any hour.
 */
import type { Dialect } from '../../../shared/protocol/services.js';
import { easternMs } from './clock.js';
import type { MarketOverride } from './conditions.js';
import { isTradingDay, marketSessions, nyDay, nyTime, type DaySessions, type MarketName, type Window } from './sessions.js';

type Obj = Record<string, unknown>;

export const MARKETS: readonly MarketName[] = ['equity', 'option', 'bond', 'future', 'forex'];

/** The products listed under each market when it is open (code, name). */
const PRODUCTS: Record<MarketName, [string, string][]> = {
  equity: [['EQ', 'equity']],
  option: [['EQO', 'equity option'], ['IND', 'index option']],
  bond: [['BON', 'bond']],
  future: [['future', 'future']],
  forex: [['forex', 'forex']],
};

const pad = (n: number) => String(n).padStart(2, '0');

/** "2024-06-21T09:30:00-04:00": wall-clock New York time with its offset. */
export function nyIso(t: number): string {
  const local = easternMs(t);
  const d = new Date(local);
  const off = Math.round((local - t) / 60_000);
  const sign = off < 0 ? '-' : '+';
  const a = Math.abs(off);
  return `${d.getUTCFullYear()}-${pad(d.getUTCMonth() + 1)}-${pad(d.getUTCDate())}T${pad(d.getUTCHours())}:${pad(d.getUTCMinutes())}:${pad(d.getUTCSeconds())}${sign}${pad(Math.floor(a / 60))}:${pad(a % 60)}`;
}

const isoDate = (day: number) => new Date(day * 86_400_000).toISOString().slice(0, 10);

/** A yyyy-MM-dd (TD also sent a time after it) → New York day number; null when malformed. */
export function parseDay(text: string | null, now: number): number | null {
  if (text === null || text === '') return nyDay(now);
  const m = /^(\d{4})-(\d\d)-(\d\d)(?:T.*)?$/.exec(text);
  if (!m) return null;
  const t = Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3]));
  if (Number.isNaN(t) || new Date(t).getUTCDate() !== Number(m[3])) return null;
  return Math.floor(t / 86_400_000);
}

const windows = (w: Window[]) => w.map((s) => ({ start: nyIso(s.start), end: nyIso(s.end) }));

/** One market's entry for one day: `{ product: {...} }`. */
export function marketHours(market: MarketName, day: number, dialect: Dialect, forced?: MarketOverride): Obj {
  const extra = dialect === 'tdameritrade' ? { exchange: 'NULL', category: 'NULL' } : {};
  const marketType = market.toUpperCase();
  const open = forced === undefined ? isTradingDay(day) : forced === 'open';
  if (!open) return { [market]: { date: isoDate(day), marketType, ...extra, product: market, isOpen: false } };
  const out: Obj = {};
  for (const [code, name] of PRODUCTS[market]) {
    const s: DaySessions = forced === 'open' ? { pre: [], regular: [{ start: nyTime(day, 0), end: nyTime(day + 1, 0) }], post: [] } : marketSessions(market, day, code);
    const sessionHours: Obj = {};
    if (s.pre.length > 0) sessionHours.preMarket = windows(s.pre);
    sessionHours.regularMarket = windows(s.regular);
    if (s.post.length > 0) sessionHours.postMarket = windows(s.post);
    out[code] = { date: isoDate(day), marketType, ...extra, product: code, productName: name, isOpen: true, sessionHours };
  }
  return out;
}

/** Markets from a comma list (either case); null when one is unknown. */
export function parseMarkets(text: string | null): MarketName[] | null {
  if (text === null || text.trim() === '') return null;
  const out: MarketName[] = [];
  for (const part of text.split(',')) {
    const m = part.trim().toLowerCase();
    if (!(MARKETS as readonly string[]).includes(m)) return null;
    if (!out.includes(m as MarketName)) out.push(m as MarketName);
  }
  return out;
}

export function hoursResponse(markets: readonly MarketName[], day: number, dialect: Dialect, forced?: MarketOverride): Obj {
  const out: Obj = {};
  for (const m of markets) out[m] = marketHours(m, day, dialect, forced);
  return out;
}
