/**
 * Level-one field values by reference field name (shared/protocol/fields.*.ts), in each dialect's
 * units: TD QUOTE/OPTION clocks are seconds since midnight ET with separate day numbers and QUOTE sizes
 * are in lots of 100 (docs/protocol/tdameritrade.md §5.1-5.2); everything else is epoch ms and shares (docs/protocol/schwab.md §5).
 * A getter that returns undefined means "no value": the field is left out, as the real server does.
 * Getters are compiled once per service so the hot path is an array walk.
 */
import type { FieldValue } from '../../../shared/market.js';
import type { Dialect, ServiceSpec } from '../../../shared/protocol/services.js';
import { daysSinceEpoch, msSinceMidnightEastern, secondsSinceMidnightEastern } from './clock.js';
import type { Instrument } from './instrument.js';
import { optionDescription } from './option-symbols.js';
import { EQUITY_VENUES, GLOBEX_HOURS, MONTH_NAMES } from './reference-data.js';

export interface FieldContext {
  dialect: Dialect;
  /** TD QUOTE and OPTION: times in seconds since midnight ET, days since the epoch. */
  secondsClock: boolean;
  /** TD QUOTE: bid/ask/last sizes in lots of 100. */
  sizesInLots: boolean;
  /** Schwab LEVELONE_FUTURES_OPTIONS sends its ID chars as the number 63 (docs/protocol/schwab.md §5.4, obs). */
  numericIds: boolean;
  /** The key's trading is halted (`sim --halted`): its security status says so. */
  halted: boolean;
}

type Getter = (i: Instrument, c: FieldContext) => FieldValue | undefined;

export interface CompiledField {
  id: number;
  /** The wire key: the field number as a string. */
  key: string;
  get: Getter;
  /** Never changes during a session: sent with a key's first item (or once after VIEW adds it). */
  fixed: boolean;
}

const r2 = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;
const equityLike = (i: Instrument) => i.ref.kind === 'equity' || i.ref.kind === 'index';
const optionLike = (i: Instrument) => i.ref.option !== undefined;
const net = (i: Instrument) => (i.close ? r2(i.last - i.close, 4) : 0);
const pct = (i: Instrument) => (i.close ? r2(((i.last - i.close) / i.close) * 100, 8) : 0);
const time = (ms: number, c: FieldContext) => (c.secondsClock ? secondsSinceMidnightEastern(ms) : ms);
const lots = (n: number, c: FieldContext) => (c.sizesInLots ? Math.floor(n / 100) : n);
const quoted = (i: Instrument) => i.ref.kind !== 'index';
const regularSession = (ms: number) => {
  const t = msSinceMidnightEastern(ms);
  return t >= 9.5 * 3_600_000 && t < 16 * 3_600_000;
};
const venueId = (i: Instrument, v: number, c: FieldContext): FieldValue | undefined => {
  if (i.ref.kind === 'equity') return EQUITY_VENUES[v]![0];
  if (i.ref.kind === 'future' || i.ref.kind === 'future-option') return c.numericIds ? 63 : '?';
  return undefined;
};
const intrinsic = (i: Instrument) => {
  const o = i.ref.option!;
  return r2(o.putCall === 'C' ? i.underlyingPrice - o.strike : o.strike - i.underlyingPrice, 4);
};
const greek = (name: 'delta' | 'gamma' | 'theta' | 'vega' | 'rho'): Getter => (i) => (i.greeks ? r2(i.greeks[name], 8) : undefined);
const futureDescription = (i: Instrument) => {
  const f = i.ref.future!;
  const d = new Date(f.expiry);
  return `${f.spec.name},${MONTH_NAMES[d.getUTCMonth()]}-${d.getUTCFullYear()},ETH`;
};

const EXCHANGE: Record<Dialect, Record<string, [id: string, name: string]>> = {
  schwab: { Q: ['Q', 'NASDAQ'], N: ['N', 'NYSE'], P: ['P', 'NYSE Arca'], A: ['A', 'AMEX'], U: ['U', 'OTCBB'], '0': ['0', 'IND'] },
  tdameritrade: { Q: ['q', 'NASD'], N: ['n', 'NYSE'], P: ['p', 'PACIFIC'], A: ['a', 'AMEX'], U: ['u', 'OTCBB'], '0': ['x', 'IND'] },
};

function exchange(i: Instrument, c: FieldContext, part: 0 | 1): FieldValue {
  const td = c.dialect === 'tdameritrade';
  switch (i.ref.kind) {
    case 'option': return part === 0 ? 'O' : 'OPR';
    case 'forex': return part === 0 ? (td ? 'T' : '!') : 'GFT';
    case 'future':
    case 'future-option': return part === 0 ? (td ? 'E' : '@') : i.ref.future!.spec.mic;
    default: return EXCHANGE[c.dialect][i.ref.listing]![part];
  }
}

/** Volatile getters: values that move with the market. */
const LIVE: Record<string, Getter> = {
  bid_price: (i) => (quoted(i) ? i.bid : undefined),
  ask_price: (i) => (quoted(i) ? i.ask : undefined),
  last_price: (i) => i.last,
  bid_size: (i, c) => (quoted(i) ? lots(i.bidSize, c) : undefined),
  ask_size: (i, c) => (quoted(i) ? lots(i.askSize, c) : undefined),
  last_size: (i, c) => lots(i.lastSize, c),
  total_volume: (i) => i.volume,
  high_price: (i) => i.high,
  low_price: (i) => i.low,
  net_change: net,
  net_change_percent: pct,
  net_percent_change: pct,
  change_percent: pct,
  future_change_percent: pct,
  // TD sends the futures change as a fraction (docs/protocol/tdameritrade.md §5.3 field 20).
  future_percent_change: (i) => (i.close ? r2((i.last - i.close) / i.close, 8) : 0),
  mark: (i) => i.mark(),
  mark_change: (i) => r2(i.mark() - i.close, 4),
  mark_change_percent: (i) => (i.close ? r2(((i.mark() - i.close) / i.close) * 100, 8) : 0),
  bid_id: (i, c) => (quoted(i) ? venueId(i, i.bidVenue, c) : undefined),
  ask_id: (i, c) => (quoted(i) ? venueId(i, i.askVenue, c) : undefined),
  last_id: (i, c) => venueId(i, i.lastVenue, c),
  bid_mic_id: (i) => (i.ref.kind === 'equity' ? EQUITY_VENUES[i.bidVenue]![1] : undefined),
  ask_mic_id: (i) => (i.ref.kind === 'equity' ? EQUITY_VENUES[i.askVenue]![1] : undefined),
  last_mic_id: (i) => (i.ref.kind === 'equity' ? EQUITY_VENUES[i.lastVenue]![1] : undefined),
  quote_time: (i, c) => time(i.quoteTime, c),
  trade_time: (i, c) => time(i.tradeTime, c),
  quote_time_millis: (i) => i.quoteTime,
  trade_time_millis: (i) => i.tradeTime,
  quote_time_in_long: (i) => i.quoteTime,
  trade_time_in_long: (i) => i.tradeTime,
  bid_time_millis: (i) => i.bidTime,
  ask_time_millis: (i) => i.askTime,
  quote_day: (i) => daysSinceEpoch(i.quoteTime),
  trade_day: (i) => daysSinceEpoch(i.tradeTime),
  regular_market_quote: (i) => regularSession(i.quoteTime),
  regular_market_trade: (i) => regularSession(i.tradeTime),
  is_regular_market_quote: (i) => regularSession(i.quoteTime),
  is_regular_market_trade: (i) => regularSession(i.tradeTime),
  regular_market_last_price: (i) => i.last,
  regular_market_last_size: (i, c) => lots(i.lastSize, c),
  regular_market_net_change: net,
  regular_market_change_percent: pct,
  regular_market_trade_millis: (i) => i.tradeTime,
  regular_market_trade_time: (i, c) => time(i.tradeTime, c),
  regular_market_trade_day: (i) => daysSinceEpoch(i.tradeTime),
  regular_market_trade_time_in_long: (i) => i.tradeTime,
  post_market_net_change: net,
  post_market_net_change_percent: pct,
  open_interest: (i) => (i.openInterest > 0 ? i.openInterest : undefined),
  // Options: value, greeks and underlying as of the last event.
  volatility: (i) => (optionLike(i) ? r2(i.ref.option!.volatility * 100, 8) : equityLike(i) ? r2(i.fundamentals.peRatio / 1500, 4) : undefined),
  money_intrinsic_value: (i) => (optionLike(i) ? intrinsic(i) : undefined),
  time_value: (i) => (optionLike(i) ? r2(i.mark() - Math.max(0, intrinsic(i)), 8) : undefined),
  theoretical_option_value: (i) => (i.greeks ? r2(i.greeks.value, 8) : undefined),
  underlying_price: (i) => (optionLike(i) ? r2(i.underlyingPrice, 4) : undefined),
  delta: greek('delta'),
  gamma: greek('gamma'),
  theta: greek('theta'),
  vega: greek('vega'),
  rho: greek('rho'),
  // The Schwab and TD forex 52-week fields carry the day's range in captures (docs/protocol/schwab.md §5.5 sample).
  high_52_week: (i) => (i.ref.kind === 'forex' ? i.high : i.fundamentals.high52),
  low_52_week: (i) => (i.ref.kind === 'forex' ? i.low : i.fundamentals.low52),
  high_price_52_week: (i) => (i.ref.kind === 'forex' ? i.high : i.fundamentals.high52),
  low_price_52_week: (i) => (i.ref.kind === 'forex' ? i.low : i.fundamentals.low52),
};

/** Fixed getters: reference data and the day's fixed numbers. */
const FIXED: Record<string, Getter> = {
  description: (i, c) => {
    const o = i.ref.option;
    if (o && i.ref.kind === 'option') return optionDescription(o, o.root, o.weekly, c.dialect);
    return i.ref.kind === 'future' ? futureDescription(i) : i.ref.description;
  },
  open_price: (i) => i.open,
  close_price: (i) => i.close,
  exchange_id: (i, c) => exchange(i, c, 0),
  exchange_name: (i, c) => exchange(i, c, 1),
  security_status: (i, c) => (c.halted ? 'Halted' : c.dialect === 'tdameritrade' && (i.ref.kind === 'future' || i.ref.kind === 'forex') ? 'Unknown' : 'Normal'),
  marginable: (i) => (i.ref.kind === 'equity' ? true : undefined),
  shortable: (i) => (i.ref.kind === 'equity' ? i.fundamentals.shortable : undefined),
  is_shortable: (i) => (i.ref.kind === 'equity' ? (i.fundamentals.shortable ? 1 : 0) : undefined),
  hard_to_borrow: (i) => (i.ref.kind === 'equity' ? 0 : undefined),
  htb_quantity: (i) => (i.ref.kind === 'equity' ? i.fundamentals.htbQuantity : undefined),
  htb_rate: (i) => (i.ref.kind === 'equity' ? 0 : undefined),
  bid_tick: (i) => (i.ref.kind === 'equity' ? ' ' : undefined),
  pe_ratio: (i) => (i.ref.kind === 'equity' ? i.fundamentals.peRatio : undefined),
  dividend_amount: (i) => (i.ref.kind === 'equity' ? i.fundamentals.dividendAmount : undefined),
  dividend_yield: (i) => (i.ref.kind === 'equity' ? i.fundamentals.dividendYield : undefined),
  dividend_date: (i) => (i.ref.kind === 'equity' ? i.fundamentals.dividendDate : undefined),
  nav: (i) => (equityLike(i) ? 0 : undefined),
  digits: (i, c) => (i.ref.kind === 'equity' && c.dialect === 'tdameritrade' ? (i.ref.listing === 'Q' || i.ref.listing === 'U' ? 4 : 2) : i.ref.digits),
  // Options.
  strike_price: (i) => i.ref.option?.strike,
  contract_type: (i) => i.ref.option?.putCall,
  underlying: (i) => i.ref.option?.underlying,
  underlying_symbol: (i) => i.ref.option?.underlying,
  option_root: (i) => i.ref.option?.root,
  expiration_year: (i) => (i.ref.option ? new Date(i.ref.option.expiry).getUTCFullYear() : undefined),
  expiration_month: (i) => (i.ref.option ? new Date(i.ref.option.expiry).getUTCMonth() + 1 : undefined),
  expiration_day: (i) => (i.ref.option ? new Date(i.ref.option.expiry).getUTCDate() : undefined),
  days_to_expiration: (i) => (i.ref.option ? Math.max(0, Math.ceil((i.ref.option.expiry - Date.now()) / 86_400_000)) : undefined),
  multiplier: (i) => (i.ref.kind === 'option' ? 100 : undefined),
  deliverables: (i) => (i.ref.kind === 'option' ? `100 ${i.ref.option!.underlying.replace(/^\$/, '')}` : undefined),
  uv_expiration_type: (i) => (i.ref.kind === 'option' ? (i.ref.option!.weekly ? 'W' : 'S') : undefined),
  last_trading_day: (i) => (i.ref.kind === 'option' ? i.ref.option!.expiry + 86_400_000 : undefined),
  settlement_type: (i) => (i.ref.kind === 'option' ? 'P' : undefined),
  exercise_type: (i) => (i.ref.kind === 'option' ? (i.ref.option!.underlying.startsWith('$') ? 'E' : 'A') : undefined),
  implied_yield: (i) => (i.ref.kind === 'option' ? 0 : undefined),
  is_penny: (i) => (i.ref.kind === 'option' ? true : undefined),
  indicative_asking_price: (i) => (i.ref.kind === 'option' ? 0 : undefined),
  indicative_bid_price: (i) => (i.ref.kind === 'option' ? 0 : undefined),
  indicative_quote_time: (i) => (i.ref.kind === 'option' ? 0 : undefined),
  // Futures and futures options.
  tick: (i, c) => (i.ref.kind === 'forex' ? (c.dialect === 'tdameritrade' ? 'UNUSED' : 0) : i.ref.future ? i.ref.tick : undefined),
  tick_amount: (i, c) => (i.ref.kind === 'forex' ? (c.dialect === 'tdameritrade' ? 'UNUSED' : 0) : i.ref.future ? r2(i.ref.tick * i.ref.multiplier, 6) : undefined),
  product: (i, c) => (i.ref.kind === 'forex' ? (c.dialect === 'tdameritrade' ? 'UNUSED' : '') : i.ref.future ? `/${i.ref.future.root}` : undefined),
  future_price_format: (i) => (i.ref.future ? 'D,D' : undefined),
  future_trading_hours: (i) => (i.ref.future ? GLOBEX_HOURS : undefined),
  future_is_tradable: (i) => (i.ref.future ? true : undefined),
  future_is_tradeable: (i) => (i.ref.future ? true : undefined),
  future_multiplier: (i) => (i.ref.future ? i.ref.multiplier : undefined),
  future_is_active: (i) => (i.ref.future ? true : undefined),
  future_settlement_price: (i) => (i.ref.future ? i.close : undefined),
  future_active_symbol: (i) => i.ref.future?.contract,
  future_expiration_date: (i) => (i.ref.option ? i.ref.option.expiry : i.ref.future?.expiry),
  expiration_style: (i) => (i.ref.kind === 'future-option' ? (i.ref.option!.weekly ? 'Weeklys' : 'Regular') : i.ref.future ? 'Unknown' : undefined),
  quoted_in_session: (i) => (i.ref.future ? true : undefined),
  settlement_date: (i) => (i.ref.future ? Math.floor(Date.now() / 86_400_000) * 86_400_000 : undefined),
  // Forex placeholders as captured: Schwab blanks, TD "UNUSED" and "?" (docs/protocol/tdameritrade.md §5.5, §7).
  percent_change: (i) => (i.ref.kind === 'forex' ? '?' : undefined),
  trading_hours: (i, c) => (i.ref.kind === 'forex' ? (c.dialect === 'tdameritrade' ? 'UNUSED' : '') : undefined),
  is_tradable: (i, c) => (i.ref.kind === 'forex' ? (c.dialect === 'tdameritrade' ? 'UNUSED' : false) : undefined),
  market_maker: (i, c) => (i.ref.kind === 'forex' ? (c.dialect === 'tdameritrade' ? 'UNUSED' : '') : undefined),
};

/** The subscribed fields of a level-one service that this simulator can value, in wire order. */
export function compileFields(spec: ServiceSpec, ids: Iterable<number>): CompiledField[] {
  const out: CompiledField[] = [];
  for (const id of [...ids].sort((a, b) => a - b)) {
    const def = spec.fields[id];
    if (!def) continue;
    const live = LIVE[def.name];
    const get = live ?? FIXED[def.name];
    if (get) out.push({ id, key: String(id), get, fixed: !live });
  }
  return out;
}

export function fieldContext(spec: ServiceSpec): FieldContext {
  const td = spec.dialect === 'tdameritrade';
  return {
    dialect: spec.dialect,
    secondsClock: td && (spec.name === 'QUOTE' || spec.name === 'OPTION'),
    sizesInLots: td && spec.name === 'QUOTE',
    numericIds: !td && spec.name === 'LEVELONE_FUTURES_OPTIONS',
    halted: false,
  };
}
