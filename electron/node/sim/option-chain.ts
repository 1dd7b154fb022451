/**
 * Option chains (Schwab `GET /marketdata/v1/chains`, TD `GET /v1/marketdata/chains`;
 * docs/protocol/schwab.md §11.6, docs/protocol/tdameritrade.md §11.6): call and put maps keyed
 * `"yyyy-MM-dd:daysToExpiration"` → `"strike"` → [contract]. Every contract is the market's own
 * instrument for its symbol, priced from the underlying with the same model and volatility surface
 * as LEVELONE_OPTIONS / OPTION, so a chain and the stream quote the same contract alike.
 */
import type { Dialect } from '../../../shared/protocol/services.js';
import { thirdFriday } from './instrument-ref.js';
import type { Instrument } from './instrument.js';
import type { Market } from './market.js';
import { optionSymbol } from './option-symbols.js';

type Obj = Record<string, unknown>;

const DAY = 86_400_000;
const MONTHS = ['JAN', 'FEB', 'MAR', 'APR', 'MAY', 'JUN', 'JUL', 'AUG', 'SEP', 'OCT', 'NOV', 'DEC'];
const RANGES = ['ITM', 'NTM', 'OTM', 'SAK', 'SBK', 'SNK', 'ALL'];
const r4 = (v: number) => Math.round(v * 10_000) / 10_000;

export interface ChainError {
  parameter: string;
  detail: string;
}

export interface ChainRequest {
  symbol: string;
  contractType: 'CALL' | 'PUT' | 'ALL';
  strikeCount: number | null;
  includeUnderlying: boolean;
  strategy: string;
  strike: number | null;
  range: string;
  fromDay: number | null;
  toDay: number | null;
  expMonth: string;
  optionType: string;
}

const dayOf = (text: string | null): number | null | undefined => {
  if (text === null || text === '') return null;
  const m = /^(\d{4})-(\d\d)-(\d\d)/.exec(text);
  return m ? Math.floor(Date.UTC(Number(m[1]), Number(m[2]) - 1, Number(m[3])) / DAY) : undefined;
};

export function parseChainParams(q: URLSearchParams, dialect: Dialect): ChainRequest | ChainError {
  const symbol = (q.get('symbol') ?? '').trim();
  if (!symbol) return { parameter: 'symbol', detail: 'symbol is required' };
  const contractType = (q.get('contractType') ?? 'ALL').toUpperCase();
  if (contractType !== 'CALL' && contractType !== 'PUT' && contractType !== 'ALL') return { parameter: 'contractType', detail: 'contractType must be CALL, PUT or ALL' };
  const sc = q.get('strikeCount');
  const strikeCount = sc === null || sc === '' ? null : Number(sc);
  if (strikeCount !== null && (!Number.isInteger(strikeCount) || strikeCount < 1)) return { parameter: 'strikeCount', detail: 'strikeCount must be a positive whole number' };
  const strategy = (q.get('strategy') ?? 'SINGLE').toUpperCase();
  // The simulator builds single-leg chains; an analytical chain is the same list.
  if (strategy !== 'SINGLE' && strategy !== 'ANALYTICAL') return { parameter: 'strategy', detail: `the simulator serves SINGLE (and ANALYTICAL as SINGLE) chains, not ${strategy}` };
  const st = q.get('strike');
  const strike = st === null || st === '' ? null : Number(st);
  if (strike !== null && !(strike > 0)) return { parameter: 'strike', detail: 'strike must be a positive number' };
  const range = (q.get('range') ?? 'ALL').toUpperCase();
  if (!RANGES.includes(range)) return { parameter: 'range', detail: `range must be one of ${RANGES.join(', ')}` };
  const fromDay = dayOf(q.get('fromDate'));
  if (fromDay === undefined) return { parameter: 'fromDate', detail: 'fromDate must be yyyy-MM-dd' };
  const toDay = dayOf(q.get('toDate'));
  if (toDay === undefined) return { parameter: 'toDate', detail: 'toDate must be yyyy-MM-dd' };
  const expMonth = (q.get('expMonth') ?? 'ALL').toUpperCase();
  if (expMonth !== 'ALL' && !MONTHS.includes(expMonth)) return { parameter: 'expMonth', detail: 'expMonth must be JAN … DEC or ALL' };
  const optionType = (q.get('optionType') ?? 'ALL').toUpperCase();
  if (!['S', 'NS', 'ALL'].includes(optionType)) return { parameter: 'optionType', detail: 'optionType must be S, NS or ALL' };
  const inc = (q.get(dialect === 'schwab' ? 'includeUnderlyingQuote' : 'includeQuotes') ?? 'false').toLowerCase() === 'true';
  return { symbol, contractType, strikeCount, includeUnderlying: inc, strategy, strike, range, fromDay, toDay, expMonth, optionType };
}

/** Listed expiries: the next four Fridays and the third Fridays of the next six months (00:00 UTC). */
export function expiries(now: number): number[] {
  const today = Math.floor(now / DAY) * DAY;
  const set = new Set<number>();
  const d = new Date(today);
  const friday = today + ((5 - d.getUTCDay() + 7) % 7) * DAY;
  for (let w = 0; w < 4; w++) set.add(friday + w * 7 * DAY);
  for (let m = 0; m < 7; m++) set.add(thirdFriday(d.getUTCFullYear(), d.getUTCMonth() + m));
  return [...set].filter((e) => e >= today).sort((a, b) => a - b).slice(0, 10);
}

/** A strike spacing that gives about forty strikes over ±15 % of the spot. */
export function strikeStep(spot: number): number {
  const raw = (spot * 0.3) / 40;
  for (const s of [0.5, 1, 2.5, 5, 10, 25, 50, 100, 250]) if (s >= raw) return s;
  return 500;
}

const strikeKey = (k: number) => (Number.isInteger(k) ? k.toFixed(1) : String(k));

function contract(i: Instrument, dialect: Dialect, now: number, spot: number): Obj {
  const o = i.ref.option!;
  const g = i.greeks;
  const call = o.putCall === 'C';
  const dte = Math.max(0, Math.ceil((o.expiry - now) / DAY));
  const intrinsic = r4(Math.max(0, call ? spot - o.strike : o.strike - spot));
  const mark = i.mark();
  const root = o.underlying.replace(/^\$/, '');
  const base: Obj = {
    putCall: call ? 'CALL' : 'PUT', symbol: i.ref.symbol, description: describe(i, dialect), exchangeName: 'OPR',
    bid: i.bid, ask: i.ask, last: i.last, mark, bidSize: i.bidSize, askSize: i.askSize, bidAskSize: `${i.bidSize}X${i.askSize}`, lastSize: i.lastSize,
    highPrice: i.high, lowPrice: i.low, openPrice: i.open, closePrice: i.close, totalVolume: i.volume, tradeDate: null,
    tradeTimeInLong: i.tradeTime, quoteTimeInLong: i.quoteTime, netChange: r4(i.last - i.close), volatility: r4(o.volatility * 100),
    delta: r4(g?.delta ?? 0), gamma: r4(g?.gamma ?? 0), theta: r4(g?.theta ?? 0), vega: r4(g?.vega ?? 0), rho: r4(g?.rho ?? 0),
    openInterest: i.openInterest, timeValue: r4(mark - intrinsic), theoreticalOptionValue: r4(g?.value ?? mark), theoreticalVolatility: 29,
    optionDeliverablesList: [{ symbol: root, assetType: 'STOCK', deliverableUnits: 100 }], strikePrice: o.strike,
  };
  const expiry = o.expiry + 20 * 3_600_000;
  const tail: Obj = dialect === 'schwab'
    ? {
      expirationDate: new Date(expiry).toISOString().replace('Z', '+00:00'), daysToExpiration: dte, expirationType: o.weekly ? 'W' : 'S',
      lastTradingDay: o.expiry + DAY, multiplier: 100, settlementType: 'P', deliverableNote: `100.0 ${root}`,
      percentChange: i.close ? r4(((i.last - i.close) / i.close) * 100) : 0, markChange: r4(mark - i.close), markPercentChange: i.close ? r4(((mark - i.close) / i.close) * 100) : 0,
      intrinsicValue: intrinsic, extrinsicValue: r4(mark - intrinsic), optionRoot: o.root, exerciseType: o.underlying.startsWith('$') ? 'E' : 'A',
      high52Week: i.fundamentals.high52, low52Week: i.fundamentals.low52, nonStandard: false, pennyPilot: true, inTheMoney: intrinsic > 0, mini: false,
    }
    : {
      expirationDate: expiry, daysToExpiration: dte, expirationType: o.weekly ? 'W' : 'R', lastTradingDay: o.expiry + DAY, multiplier: 100,
      settlementType: ' ', deliverableNote: '', isIndexOption: o.underlying.startsWith('$') ? true : null,
      percentChange: i.close ? r4(((i.last - i.close) / i.close) * 100) : 0, markChange: r4(mark - i.close), markPercentChange: i.close ? r4(((mark - i.close) / i.close) * 100) : 0,
      nonStandard: false, inTheMoney: intrinsic > 0, mini: false,
    };
  return { ...base, ...tail };
}

function describe(i: Instrument, dialect: Dialect): string {
  const o = i.ref.option!;
  const d = new Date(o.expiry);
  const mon = MONTHS[d.getUTCMonth()]!;
  const name = `${mon[0]}${mon.slice(1).toLowerCase()}`;
  const strike = Number.isInteger(o.strike) ? String(o.strike) : String(o.strike);
  if (dialect === 'schwab') return `${o.root} ${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}/${d.getUTCFullYear()} ${o.strike.toFixed(2)} ${o.putCall}`;
  return `${o.root} ${name} ${d.getUTCDate()} ${d.getUTCFullYear()} ${strike} ${o.putCall === 'C' ? 'Call' : 'Put'}${o.weekly ? ' (Weekly)' : ''}`;
}

/** The underlying object both dialects attach when asked (includeUnderlyingQuote / includeQuotes). */
function underlyingQuote(u: Instrument): Obj {
  const f = u.fundamentals;
  return {
    symbol: u.ref.symbol, description: u.ref.description, change: r4(u.last - u.close), percentChange: u.close ? r4(((u.last - u.close) / u.close) * 100) : 0,
    close: u.close, quoteTime: u.quoteTime, tradeTime: u.tradeTime, bid: u.bid, ask: u.ask, last: u.last, mark: u.mark(), markChange: r4(u.mark() - u.close),
    markPercentChange: u.close ? r4(((u.mark() - u.close) / u.close) * 100) : 0, bidSize: u.bidSize, askSize: u.askSize, highPrice: u.high, lowPrice: u.low,
    openPrice: u.open, totalVolume: u.volume, exchangeName: u.ref.kind === 'index' ? 'IND' : 'NYS', fiftyTwoWeekHigh: f.high52, fiftyTwoWeekLow: f.low52, delayed: false,
  };
}

/** The chain for a request, from `market` (contracts are created there on first use and then stream alike). */
export function optionChain(market: Market, dialect: Dialect, req: ChainRequest, now: number): Obj {
  const u = market.instrument(req.symbol, dialect, now);
  const optionable = u !== undefined && (u.ref.kind === 'equity' || u.ref.kind === 'index');
  const head: Obj = { symbol: req.symbol, status: optionable ? 'SUCCESS' : 'FAILED' };
  if (!optionable || !u) {
    return { ...head, underlying: null, strategy: req.strategy, interval: 0, isDelayed: false, isIndex: false, interestRate: 4.5, underlyingPrice: 0, volatility: 29, daysToExpiration: 0, numberOfContracts: 0, callExpDateMap: {}, putExpDateMap: {} };
  }
  u.refresh(now);
  const spot = u.ref.kind === 'index' ? u.last : (u.bid + u.ask) / 2;
  const step = strikeStep(u.ref.price);
  const atm = Math.round(spot / step) * step;
  const ladder = allStrikes(atm, step);
  /** The strikes of one side: range filters read from that side's money (ITM calls are below the spot, ITM puts above). */
  const strikesFor = (side: 'C' | 'P'): number[] => {
    if (req.strike !== null) return [req.strike];
    const below = (s: number) => s <= spot;
    const above = (s: number) => s >= spot;
    let list = ladder;
    switch (req.range) {
      case 'ITM': list = ladder.filter(side === 'C' ? below : above); break;
      case 'OTM': list = ladder.filter(side === 'C' ? above : below); break;
      case 'SAK': list = ladder.filter(above); break;
      case 'SBK': list = ladder.filter(below); break;
      case 'NTM':
      case 'SNK': list = ladder.filter((s) => Math.abs(s - spot) <= spot * 0.05); break;
      default:
    }
    if (req.strikeCount !== null) list = [...list].sort((x, y) => Math.abs(x - spot) - Math.abs(y - spot) || x - y).slice(0, req.strikeCount).sort((x, y) => x - y);
    return list;
  };
  const calls: Obj = {};
  const puts: Obj = {};
  let count = 0;
  const underlying = u.ref.kind === 'index' ? u.ref.symbol.replace(/\.X$/, '') : u.ref.symbol;
  for (const expiry of expiries(now)) {
    const day = Math.floor(expiry / DAY);
    if (req.fromDay !== null && day < req.fromDay) continue;
    if (req.toDay !== null && day > req.toDay) continue;
    if (req.expMonth !== 'ALL' && MONTHS[new Date(expiry).getUTCMonth()] !== req.expMonth) continue;
    if (req.optionType === 'NS') continue;
    const dte = Math.max(0, Math.ceil((expiry - now) / DAY));
    const key = `${new Date(expiry).toISOString().slice(0, 10)}:${dte}`;
    for (const side of ['C', 'P'] as const) {
      if ((side === 'C' && req.contractType === 'PUT') || (side === 'P' && req.contractType === 'CALL')) continue;
      const byStrike: Obj = {};
      for (const strike of strikesFor(side)) {
        const symbol = optionSymbol({ underlying, expiry, strike, putCall: side }, dialect);
        const inst = market.instrument(symbol, dialect, now);
        if (!inst) continue;
        inst.refresh(now);
        byStrike[strikeKey(strike)] = [contract(inst, dialect, now, spot)];
        count++;
      }
      if (Object.keys(byStrike).length > 0) (side === 'C' ? calls : puts)[key] = byStrike;
    }
  }
  const vol = u.ref.dailyVol * Math.sqrt(365) * 110;
  const out: Obj = { ...head };
  if (dialect === 'schwab') {
    if (req.includeUnderlying) out.underlying = underlyingQuote(u);
  } else out.underlying = req.includeUnderlying ? underlyingQuote(u) : null;
  Object.assign(out, {
    strategy: req.strategy, interval: 0, isDelayed: false, isIndex: u.ref.kind === 'index', interestRate: 4.5, underlyingPrice: r4(spot), volatility: r4(vol),
    daysToExpiration: 0, numberOfContracts: count,
  });
  if (dialect === 'schwab') Object.assign(out, { assetMainType: u.ref.kind === 'index' ? 'INDEX' : 'EQUITY', assetSubType: u.ref.subType ?? undefined, isChainTruncated: false });
  out.callExpDateMap = calls;
  out.putExpDateMap = puts;
  return out;
}

function allStrikes(atm: number, step: number): number[] {
  const out: number[] = [];
  for (let k = -20; k <= 20; k++) {
    const s = Math.round((atm + k * step) * 1000) / 1000;
    if (s > 0) out.push(s);
  }
  return out;
}
