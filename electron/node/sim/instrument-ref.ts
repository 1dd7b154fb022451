/**
 * What an instrument *is*, independent of how it trades: parsed from any well-formed symbol of
 * either dialect (docs/protocol/schwab.md §6, docs/protocol/tdameritrade.md §6) plus the reference data, so every real ticker,
 * contract or option symbol gets a stable, plausible description, price level and venue.
 */
import type { Dialect } from '../../../shared/protocol/services.js';
import { classifySymbol } from '../../../shared/symbols.js';
import { hashString, randFor } from './prng.js';
import {
  CURRENCIES, FUTURES_ROOTS, INDICES, MONTH_CODES, USD_VALUE, WELL_KNOWN,
  type EquityListing, type FuturesRoot, type ListingCode,
} from './reference-data.js';

export type AssetKind = 'equity' | 'index' | 'option' | 'future' | 'future-option' | 'forex';

export interface OptionTerms {
  underlying: string;
  /** Option root as quoted (OCC root, or the futures-option root). */
  root: string;
  /** Expiry date at 00:00 UTC. */
  expiry: number;
  strike: number;
  putCall: 'C' | 'P';
  /** Not a third-Friday expiry. */
  weekly: boolean;
  volatility: number;
}

export interface InstrumentRef {
  symbol: string;
  kind: AssetKind;
  description: string;
  price: number;
  tick: number;
  digits: number;
  multiplier: number;
  dailyVolume: number;
  listing: ListingCode;
  cusip: string;
  subType: EquityListing['subType'] | null;
  /**
   * Standard deviation of the log price over 24 hours (0.015 = 1.5 %): large caps 1-2 %, ETFs and
   * indices less, small caps and OTC names more, futures and forex per product. Options: 0 (they
   * follow their underlying).
   */
  dailyVol: number;
  /** Whose price path this is: instruments that are the same thing (/ES and its contract, $SPX and $SPX.X) share one. */
  pathName: string;
  /** Futures (and a futures option's underlying): root without '/', contract symbol, expiry. */
  future?: { root: string; spec: FuturesRoot; contract: string; expiry: number };
  option?: OptionTerms;
}

const DAY = 86_400_000;
const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

/** Third Friday of a month, 00:00 UTC: the standard expiry of equity options and index futures. */
export function thirdFriday(year: number, month: number): number {
  const first = new Date(Date.UTC(year, month, 1)).getUTCDay();
  return Date.UTC(year, month, 1 + ((5 - first + 7) % 7) + 14);
}

const SYLLABLES = ['zan', 'tor', 'vex', 'lum', 'cor', 'dyn', 'pra', 'nov', 'ast', 'kel', 'mir', 'qua', 'sol', 'ter', 'ver', 'gen', 'bri', 'hal'];
const SUFFIXES = ['Corp', 'Inc', 'Holdings Inc', 'Group Inc', 'Technologies Inc', 'Industries Corp', 'Therapeutics Inc', 'Energy Corp', 'Bancorp', 'Systems Inc'];

/** A listing for a symbol nobody listed: name, exchange and size derived from the symbol itself. */
function generatedListing(symbol: string, seed: number): EquityListing {
  const r = randFor(seed, `listing:${symbol}`);
  const h = hashString(symbol);
  const name = SYLLABLES[h % SYLLABLES.length]! + SYLLABLES[(h >>> 8) % SYLLABLES.length]!;
  const u = (h >>> 16) % 100;
  const exchange: ListingCode = u < 45 ? 'Q' : u < 80 ? 'N' : u < 92 ? 'U' : 'P';
  const price = exchange === 'U' ? 0.2 + r() * 6 : 5 + Math.exp(r() * 5.5);
  return {
    name: `${name[0]!.toUpperCase()}${name.slice(1)} ${SUFFIXES[(h >>> 4) % SUFFIXES.length]}`,
    price: round(price, exchange === 'U' ? 4 : 2),
    exchange,
    cusip: `${(h % 900000) + 100000}${'ABCDEFGHJK'[(h >>> 3) % 10]}${(h >>> 7) % 10}${(h >>> 11) % 10}`,
    subType: exchange === 'P' ? 'ETF' : 'COE',
    dailyVolume: Math.round(2e5 + Math.exp(r() * 16)),
  };
}

function equityRef(symbol: string, seed: number): InstrumentRef {
  const indexName = symbol.startsWith('$') ? symbol.replace(/\.X$/, '') : null;
  if (indexName) {
    const known = INDICES[indexName];
    const r = randFor(seed, `index:${indexName}`);
    return {
      symbol, kind: 'index', description: known?.name ?? `${indexName.slice(1)} INDEX`, price: known?.price ?? round(100 + r() * 5000, 2),
      tick: 0.01, digits: 2, multiplier: 1, dailyVolume: 0, listing: '0', cusip: '', subType: null,
      dailyVol: indexName === '$VIX' ? 0.06 : 0.008 + r() * 0.004, pathName: indexName,
    };
  }
  const known = WELL_KNOWN[symbol];
  const l = known ?? generatedListing(symbol, seed);
  const otc = l.exchange === 'U';
  const v = randFor(seed, `vol:${symbol}`)();
  const dailyVol = l.subType === 'ETF' ? 0.007 + v * 0.005 : otc ? 0.03 + v * 0.03 : known ? 0.011 + v * 0.009 : 0.015 + v * 0.015;
  return {
    symbol, kind: 'equity', description: l.name, price: l.price, tick: otc ? 0.0001 : 0.01, digits: otc ? 4 : 2, multiplier: 1,
    dailyVolume: l.dailyVolume, listing: l.exchange, cusip: l.cusip, subType: l.subType, dailyVol, pathName: symbol,
  };
}

const genericRoot = (root: string, seed: number): FuturesRoot => {
  const r = randFor(seed, `future:${root}`);
  return { name: `${root} Futures`, price: round(10 + r() * 990, 2), tick: 0.01, multiplier: 100, mic: 'XCME', cycle: 'HMUZ', digits: 2, vol: 0.012 + r() * 0.01 };
};

/** The listed contract of a root that is front-month at `now` (a bare root follows it, docs/protocol/schwab.md §6). */
function frontContract(spec: FuturesRoot, now: number): { month: number; year: number } {
  const d = new Date(now);
  for (let i = 0; i < 24; i++) {
    const month = (d.getUTCMonth() + i) % 12;
    const year = d.getUTCFullYear() + Math.floor((d.getUTCMonth() + i) / 12);
    if (spec.cycle.includes(MONTH_CODES[month]!) && thirdFriday(year, month) > now + 7 * DAY) return { month, year };
  }
  return { month: d.getUTCMonth(), year: d.getUTCFullYear() };
}

function expandYear(text: string, now: number): number {
  const current = new Date(now).getUTCFullYear();
  if (text.length === 2) return 2000 + Number(text);
  // One-digit years (/ESM4, ./ESZ3P990): the nearest year ending in that digit, from last year on.
  let y = current - 1;
  while (y % 10 !== Number(text)) y++;
  return y;
}

function futureRef(symbol: string, seed: number, now: number): InstrumentRef {
  const m = /^\/([A-Z0-9]+?)([FGHJKMNQUVXZ])(\d{1,2})$/.exec(symbol);
  const root = m ? m[1]! : symbol.slice(1);
  const spec = FUTURES_ROOTS[root] ?? genericRoot(root, seed);
  const { month, year } = m ? { month: MONTH_CODES.indexOf(m[2]!), year: expandYear(m[3]!, now) } : frontContract(spec, now);
  const contract = `/${root}${MONTH_CODES[month]}${String(year % 100).padStart(2, '0')}`;
  const r = randFor(seed, `contract:${contract}`);
  return {
    symbol, kind: 'future', description: spec.name, price: spec.price * (1 + (r() - 0.5) * 0.004), tick: spec.tick, digits: spec.digits,
    multiplier: spec.multiplier, dailyVolume: Math.round(2e5 + r() * 1.5e6), listing: 'Q', cusip: '', subType: null,
    dailyVol: spec.vol, pathName: contract,
    future: { root, spec, contract, expiry: thirdFriday(year, month) },
  };
}

/** Futures-option roots are product codes of their own (OZC, OG, E3D, Q3D, EW2 …); map them to a future. */
function futureRootOfOption(optionRoot: string): string {
  if (FUTURES_ROOTS[optionRoot]) return optionRoot;
  if (optionRoot.startsWith('OZ') && FUTURES_ROOTS[optionRoot.slice(1)]) return optionRoot.slice(1);
  if (optionRoot.startsWith('O') && FUTURES_ROOTS[optionRoot.slice(1)]) return optionRoot.slice(1);
  if (optionRoot === 'LO') return 'CL';
  if (optionRoot.startsWith('E')) return 'ES';
  if (optionRoot.startsWith('Q')) return 'NQ';
  return optionRoot;
}

function optionTerms(symbol: string, dialect: Dialect): Omit<OptionTerms, 'volatility'> {
  if (dialect === 'schwab') {
    // OCC: root padded to 6, YYMMDD, C/P, strike × 1000 in 8 digits (docs/protocol/schwab.md §6).
    const root = symbol.slice(0, 6).trim();
    const expiry = Date.UTC(2000 + Number(symbol.slice(6, 8)), Number(symbol.slice(8, 10)) - 1, Number(symbol.slice(10, 12)));
    const underlying = /^(SPX|NDX|RUT)W$/.test(root) ? root.slice(0, -1) : root;
    return { underlying, root, expiry, putCall: symbol[12] as 'C' | 'P', strike: Number(symbol.slice(13)) / 1000, weekly: false };
  }
  // TD: UNDERLYING_MMDDYY{C|P}STRIKE (docs/protocol/tdameritrade.md §6).
  const m = /^([A-Z0-9]+)_(\d\d)(\d\d)(\d\d)([CP])(.+)$/.exec(symbol)!;
  const expiry = Date.UTC(2000 + Number(m[4]), Number(m[2]) - 1, Number(m[3]));
  return { underlying: m[1]!, root: m[1]!, expiry, putCall: m[5] as 'C' | 'P', strike: Number(m[6]), weekly: false };
}

/**
 * An option's implied volatility: its underlying's own volatility (annualised, with a premium) shaped
 * by a smile in moneyness against the underlying's reference price and a gentle term structure, so a
 * chain reads as one surface, not as a volatility drawn per contract.
 */
function impliedVolatility(underlying: string, strike: number, expiry: number, dialect: Dialect, seed: number): number {
  const u = describeSymbol(underlying, dialect, seed, expiry);
  const base = u && u.dailyVol > 0 ? u.dailyVol * Math.sqrt(365) * 1.1 : 0.3;
  const spot = u?.price || strike;
  const k = Math.log(strike / spot);
  const years = Math.max(1 / 365, (expiry - Date.now()) / (365 * DAY));
  const smile = 1 - 0.5 * k + 2.5 * k * k;
  const term = 1 + 0.08 / Math.sqrt(years * 12);
  return Math.round(Math.min(3, Math.max(0.05, base * smile * term)) * 10000) / 10000;
}

function optionRef(symbol: string, dialect: Dialect, seed: number): InstrumentRef {
  const t = optionTerms(symbol, dialect);
  const d = new Date(t.expiry);
  const weekly = thirdFriday(d.getUTCFullYear(), d.getUTCMonth()) !== t.expiry;
  const r = randFor(seed, `option:${symbol}`);
  const under = INDICES[`$${t.underlying}`] ? `$${t.underlying}` : t.underlying;
  return {
    symbol, kind: 'option', description: '', price: 0, tick: 0.01, digits: 2, multiplier: 100, dailyVolume: Math.round(r() * 20000),
    listing: 'Q', cusip: '', subType: null, dailyVol: 0, pathName: symbol,
    option: { ...t, underlying: under, weekly, volatility: impliedVolatility(under, t.strike, t.expiry, dialect, seed) },
  };
}

function futureOptionRef(symbol: string, seed: number, now: number): InstrumentRef {
  const m = /^\.\/([A-Z0-9]+?)([FGHJKMNQUVXZ])(\d{1,2})([CP])(\d+(?:\.\d+)?)$/.exec(symbol)!;
  const froot = futureRootOfOption(m[1]!);
  const spec = FUTURES_ROOTS[froot] ?? genericRoot(froot, seed);
  const month = MONTH_CODES.indexOf(m[2]!);
  const year = expandYear(m[3]!, now);
  // The underlying is the first listed contract expiring in or after the option's month.
  let um = month;
  let uy = year;
  while (!spec.cycle.includes(MONTH_CODES[um]!)) {
    um = (um + 1) % 12;
    if (um === 0) uy++;
  }
  const underlying = `/${froot}${MONTH_CODES[um]}${String(uy % 100).padStart(2, '0')}`;
  const r = randFor(seed, `option:${symbol}`);
  return {
    symbol, kind: 'future-option', description: `${spec.name.replace(/( Index)? Futures$/, '')} Options`, price: 0, tick: spec.tick, digits: spec.digits,
    multiplier: spec.multiplier, dailyVolume: Math.round(r() * 5000), listing: 'Q', cusip: '', subType: null, dailyVol: 0, pathName: symbol,
    future: { root: froot, spec, contract: underlying, expiry: thirdFriday(uy, um) },
    option: {
      underlying, root: m[1]!, expiry: thirdFriday(year, month), strike: Number(m[5]), putCall: m[4] as 'C' | 'P',
      weekly: /\d/.test(m[1]!), volatility: impliedVolatility(underlying, Number(m[5]), thirdFriday(year, month), 'schwab', seed),
    },
  };
}

function forexRef(symbol: string, seed: number): InstrumentRef {
  const [base, quote] = symbol.split('/') as [string, string];
  const value = (c: string) => USD_VALUE[c] ?? 0.05 + (hashString(c) % 1000) / 500;
  const jpy = quote === 'JPY';
  const digits = jpy ? 3 : 5;
  const r = randFor(seed, `forex:${symbol}`);
  return {
    symbol, kind: 'forex', description: `${CURRENCIES[base] ?? base}/${CURRENCIES[quote] ?? quote} Spot`,
    price: round((value(base) / value(quote)) * (1 + (r() - 0.5) * 0.002), digits), tick: 10 ** -digits, digits, multiplier: 1,
    dailyVolume: 0, listing: 'Q', cusip: '', subType: null, dailyVol: base === 'MXN' || quote === 'MXN' ? 0.008 : jpy ? 0.006 : 0.0045 + r() * 0.001,
    pathName: symbol,
  };
}

/** The reference for a well-formed symbol; undefined when the symbol is not one (wrong form or case). */
export function describeSymbol(symbol: string, dialect: Dialect, seed: number, now: number): InstrumentRef | undefined {
  const c = classifySymbol(symbol, dialect);
  if (!c.ok || c.symbol !== symbol) return undefined;
  switch (c.kind) {
    case 'equity': return equityRef(symbol, seed);
    case 'future': return futureRef(symbol, seed, now);
    case 'future-option': return futureOptionRef(symbol, seed, now);
    case 'forex': return forexRef(symbol, seed);
    case 'option': return optionRef(symbol, dialect, seed);
  }
}
