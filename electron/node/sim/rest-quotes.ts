/**
 * REST quotes from the streamed market (docs/protocol/schwab.md §11.2, docs/protocol/tdameritrade.md §11.2):
 * Schwab answers per symbol `{assetMainType, symbol, realtime, quote, reference, …}` with blocks chosen by
 * `fields`; TD answers one flat object per symbol with its own key names (`…InDouble`, `52WkHigh`).
 * Both read the same instrument a streaming connection of the user reads, so a REST quote and the
 * stream agree. Sizes are the streamer's (shares, contracts).
 */
import type { Instrument } from './instrument.js';
import { hashString } from './prng.js';
import { GLOBEX_HOURS } from './reference-data.js';

type Obj = Record<string, unknown>;

const r4 = (v: number) => Math.round(v * 10_000) / 10_000;
const pct = (v: number, base: number) => (base ? Math.round(((v - base) / base) * 100 * 10_000) / 10_000 : 0);
const equityLike = (i: Instrument) => i.ref.kind === 'equity';

export const SCHWAB_QUOTE_FIELDS = ['quote', 'fundamental', 'extended', 'reference', 'regular'] as const;
export type SchwabQuoteField = (typeof SCHWAB_QUOTE_FIELDS)[number];

const MAIN_TYPE: Record<Instrument['ref']['kind'], string> = {
  equity: 'EQUITY', index: 'INDEX', option: 'OPTION', future: 'FUTURE', 'future-option': 'FUTURE_OPTION', forex: 'FOREX',
};
const LISTING_NAME: Record<string, [string, string]> = {
  Q: ['Q', 'NASDAQ'], N: ['N', 'NYSE'], P: ['P', 'NYSE Arca'], A: ['A', 'AMEX'], U: ['U', 'OTCBB'], '0': ['0', 'Index'],
};
const TD_LISTING: Record<string, [string, string]> = {
  Q: ['q', 'NASD'], N: ['n', 'NYSE'], P: ['p', 'PACIFIC'], A: ['a', 'AMEX'], U: ['u', 'OTCBB'], '0': ['x', 'IND'],
};
const MIC = ['XNAS', 'XNYS', 'ARCX', 'BATS', 'BATY', 'EDGX', 'EDGA', 'IEXG', 'MEMX', 'XBOS', 'XPSX', 'TRFC'];

/** `sim --halted` and `--delayed`: what the quote says of the symbol's trading and of its data. */
export interface QuoteStatus {
  halted: boolean;
  delayed: boolean;
}
const REAL_TIME: QuoteStatus = { halted: false, delayed: false };

const ssid = (symbol: string) => hashString(`ssid:${symbol}`) % 2_000_000_000;

/** Schwab's quote for one instrument; `fields` picks the blocks (all when empty). */
export function schwabQuote(i: Instrument, fields: ReadonlySet<SchwabQuoteField>, status: QuoteStatus = REAL_TIME): Obj {
  const ref = i.ref;
  const want = (f: SchwabQuoteField) => fields.size === 0 || fields.has(f);
  const f = i.fundamentals;
  const out: Obj = { assetMainType: MAIN_TYPE[ref.kind] };
  if (ref.kind === 'equity' && ref.subType) out.assetSubType = ref.subType;
  if (ref.kind === 'equity') out.quoteType = 'NBBO';
  out.realtime = !status.delayed;
  out.ssid = ssid(ref.symbol);
  out.symbol = ref.symbol;
  const netChange = r4(i.last - i.close);
  const common = {
    '52WeekHigh': f.high52, '52WeekLow': f.low52, closePrice: i.close, highPrice: i.high, lastPrice: i.last, lowPrice: i.low,
    netChange, netPercentChange: pct(i.last, i.close), openPrice: i.open, securityStatus: status.halted ? 'Halted' : 'Normal', totalVolume: i.volume, tradeTime: i.tradeTime,
  };
  const book = { askPrice: i.ask, askSize: i.askSize, bidPrice: i.bid, bidSize: i.bidSize, lastSize: i.lastSize, mark: i.mark(), quoteTime: i.quoteTime };
  const marks = { markChange: r4(i.mark() - i.close), markPercentChange: pct(i.mark(), i.close) };
  if (want('quote')) {
    switch (ref.kind) {
      case 'equity':
        out.quote = {
          ...common, ...book, ...marks, askMICId: MIC[i.askVenue], askTime: i.askTime, bidMICId: MIC[i.bidVenue], bidTime: i.bidTime, lastMICId: MIC[i.lastVenue],
          postMarketChange: 0, postMarketPercentChange: 0,
        };
        break;
      case 'index':
        out.quote = common;
        break;
      case 'option': {
        const g = i.greeks;
        out.quote = {
          ...common, ...book, ...marks, delta: r4(g?.delta ?? 0), gamma: r4(g?.gamma ?? 0), theta: r4(g?.theta ?? 0), vega: r4(g?.vega ?? 0), rho: r4(g?.rho ?? 0),
          impliedYield: 0, indAskPrice: 0, indBidPrice: 0, indQuoteTime: 0, moneyIntrinsicValue: intrinsic(i), openInterest: i.openInterest,
          theoreticalOptionValue: r4(g?.value ?? i.mark()), timeValue: r4(i.mark() - Math.max(0, intrinsic(i))), underlyingPrice: r4(i.underlyingPrice),
          volatility: r4(ref.option!.volatility * 100),
        };
        break;
      }
      case 'future':
      case 'future-option':
        out.quote = {
          ...common, ...book, askMICId: ref.future!.spec.mic, bidMICId: ref.future!.spec.mic, lastMICId: ref.future!.spec.mic, askTime: i.askTime, bidTime: i.bidTime,
          futurePercentChange: i.close ? r4((i.last - i.close) / i.close) : 0, openInterest: i.openInterest, quotedInSession: true,
          settleTime: i.closeTime, tick: ref.tick, tickAmount: r4(ref.tick * ref.multiplier),
        };
        break;
      case 'forex':
        out.quote = { ...common, ...book, '52WeekHigh': i.high, '52WeekLow': i.low, tick: 0, tickAmount: 0 };
        break;
    }
  }
  if (want('reference')) out.reference = schwabReference(i);
  if (ref.kind === 'equity') {
    if (want('extended')) out.extended = { askPrice: 0, askSize: 0, bidPrice: 0, bidSize: 0, lastPrice: i.last, lastSize: 0, mark: 0, quoteTime: 0, totalVolume: 0, tradeTime: 0 };
    if (want('fundamental')) {
      const div = f.dividendAmount;
      out.fundamental = {
        avg10DaysVolume: ref.dailyVolume, avg1YearVolume: Math.round(ref.dailyVolume * 1.05), declarationDate: div ? `${f.dividendDate.slice(0, 10)}T00:00:00Z` : undefined,
        divAmount: div, divExDate: div ? `${f.dividendDate.slice(0, 10)}T00:00:00Z` : undefined, divFreq: div ? 4 : 0, divPayAmount: r4(div / 4),
        divPayDate: div ? `${f.dividendDate.slice(0, 10)}T00:00:00Z` : undefined, divYield: f.dividendYield, eps: f.peRatio ? r4(ref.price / f.peRatio) : 0,
        fundLeverageFactor: 0, peRatio: f.peRatio,
      };
    }
    if (want('regular')) {
      out.regular = {
        regularMarketLastPrice: i.last, regularMarketLastSize: i.lastSize, regularMarketNetChange: netChange, regularMarketPercentChange: pct(i.last, i.close),
        regularMarketTradeTime: i.tradeTime,
      };
    }
  }
  return out;
}

function intrinsic(i: Instrument): number {
  const o = i.ref.option!;
  return r4(o.putCall === 'C' ? i.underlyingPrice - o.strike : o.strike - i.underlyingPrice);
}

function description(i: Instrument): string {
  const o = i.ref.option;
  if (o && i.ref.kind === 'option') {
    const d = new Date(o.expiry);
    return `${o.root} ${String(d.getUTCMonth() + 1).padStart(2, '0')}/${String(d.getUTCDate()).padStart(2, '0')}/${d.getUTCFullYear()} ${o.strike.toFixed(2)} ${o.putCall}`;
  }
  return i.ref.description;
}

function schwabReference(i: Instrument): Obj {
  const ref = i.ref;
  switch (ref.kind) {
    case 'equity': {
      const [exchange, exchangeName] = LISTING_NAME[ref.listing]!;
      const f = i.fundamentals;
      return { cusip: ref.cusip, description: ref.description, exchange, exchangeName, isHardToBorrow: false, isShortable: f.shortable, htbQuantity: f.htbQuantity, htbRate: 0 };
    }
    case 'index': return { description: ref.description, exchange: '0', exchangeName: 'Index' };
    case 'option': {
      const o = ref.option!;
      const d = new Date(o.expiry);
      return {
        contractType: o.putCall, daysToExpiration: Math.max(0, Math.ceil((o.expiry - Date.now()) / 86_400_000)), deliverables: `100 ${o.underlying.replace(/^\$/, '')}`,
        description: description(i), exchange: 'o', exchangeName: 'OPR', exerciseType: o.underlying.startsWith('$') ? 'E' : 'A',
        expirationDay: d.getUTCDate(), expirationMonth: d.getUTCMonth() + 1, expirationType: o.weekly ? 'W' : 'S', expirationYear: d.getUTCFullYear(),
        isPennyPilot: true, lastTradingDay: o.expiry + 86_400_000, multiplier: 100, settlementType: 'P', strikePrice: o.strike, underlying: o.underlying,
        uvExpirationType: o.weekly ? 'W' : 'S',
      };
    }
    case 'future': {
      const fu = ref.future!;
      return {
        description: ref.description, exchange: '@', exchangeName: fu.spec.mic, futureActiveSymbol: fu.contract, futureExpirationDate: fu.expiry, futureIsActive: true,
        futureMultiplier: ref.multiplier, futurePriceFormat: 'D,D', futureSettlementPrice: i.close, futureTradingHours: GLOBEX_HOURS, product: `/${fu.root}`,
      };
    }
    case 'future-option': {
      const o = ref.option!;
      return {
        contractType: o.putCall, description: ref.description, exchange: '@', exchangeName: ref.future!.spec.mic, multiplier: ref.multiplier,
        expirationDate: o.expiry, expirationStyle: o.weekly ? 'Weeklys' : 'Regular', strikePrice: o.strike, underlying: o.underlying,
      };
    }
    case 'forex': return { description: ref.description, exchange: '!', exchangeName: 'GFT', isTradable: true, marketMaker: '', product: '', tradingHours: '' };
  }
}

/** TD's flat quote for one instrument. */
export function tdQuote(i: Instrument, status: QuoteStatus = REAL_TIME): Obj {
  const ref = i.ref;
  const f = i.fundamentals;
  const head: Obj = { assetType: MAIN_TYPE[ref.kind], assetMainType: MAIN_TYPE[ref.kind] };
  if (ref.kind === 'equity' && ref.subType === 'ETF') head.assetSubType = 'ETF';
  if (ref.kind === 'equity') head.cusip = ref.cusip;
  head.symbol = ref.symbol;
  const net = r4(i.last - i.close);
  const tail = { delayed: status.delayed, realtimeEntitled: true };
  const normal = (usual: string) => (status.halted ? 'Halted' : usual);
  switch (ref.kind) {
    case 'equity':
    case 'index': {
      const [exchange, exchangeName] = TD_LISTING[ref.listing]!;
      const quoted = equityLike(i);
      return {
        ...head, description: ref.description,
        ...(quoted ? { bidPrice: i.bid, bidSize: i.bidSize, bidId: 'Q', askPrice: i.ask, askSize: i.askSize, askId: 'Q' } : {}),
        lastPrice: i.last, ...(quoted ? { lastSize: i.lastSize, lastId: 'D' } : {}), openPrice: i.open, highPrice: i.high, lowPrice: i.low,
        ...(quoted ? { bidTick: ' ' } : {}), closePrice: i.close, netChange: net, totalVolume: i.volume,
        ...(quoted ? { quoteTimeInLong: i.quoteTime } : {}), tradeTimeInLong: i.tradeTime, ...(quoted ? { mark: i.mark() } : {}),
        exchange, exchangeName, ...(quoted ? { marginable: true, shortable: f.shortable } : {}), volatility: 0,
        digits: ref.listing === 'Q' || ref.listing === 'U' ? 4 : 2, '52WkHigh': f.high52, '52WkLow': f.low52,
        ...(quoted ? { nAV: 0, peRatio: f.peRatio, divAmount: f.dividendAmount, divYield: f.dividendYield, divDate: f.dividendDate } : {}),
        securityStatus: normal('Normal'),
        ...(quoted ? {
          regularMarketLastPrice: i.last, regularMarketLastSize: Math.floor(i.lastSize / 100), regularMarketNetChange: net, regularMarketTradeTimeInLong: i.tradeTime,
        } : {}),
        netPercentChangeInDouble: pct(i.last, i.close),
        ...(quoted ? { markChangeInDouble: r4(i.mark() - i.close), markPercentChangeInDouble: pct(i.mark(), i.close), regularMarketPercentChangeInDouble: pct(i.last, i.close) } : {}),
        ...tail,
      };
    }
    case 'option': {
      const o = ref.option!;
      const g = i.greeks;
      const d = new Date(o.expiry);
      return {
        ...head, cusip: '', description: description(i), bidPrice: i.bid, bidSize: i.bidSize, askPrice: i.ask, askSize: i.askSize, lastPrice: i.last, lastSize: i.lastSize,
        openPrice: i.open, highPrice: i.high, lowPrice: i.low, closePrice: i.close, netChange: net, totalVolume: i.volume, quoteTimeInLong: i.quoteTime,
        tradeTimeInLong: i.tradeTime, mark: i.mark(), openInterest: i.openInterest, volatility: r4(o.volatility * 100), moneyIntrinsicValue: intrinsic(i),
        multiplier: 100, digits: 2, strikePrice: o.strike, contractType: o.putCall, underlying: o.underlying, expirationDay: d.getUTCDate(),
        expirationMonth: d.getUTCMonth() + 1, expirationYear: d.getUTCFullYear(), daysToExpiration: Math.max(0, Math.ceil((o.expiry - Date.now()) / 86_400_000)),
        timeValue: r4(i.mark() - Math.max(0, intrinsic(i))), deliverables: '', delta: r4(g?.delta ?? 0), gamma: r4(g?.gamma ?? 0), theta: r4(g?.theta ?? 0),
        vega: r4(g?.vega ?? 0), rho: r4(g?.rho ?? 0), securityStatus: normal('Normal'), theoreticalOptionValue: r4(g?.value ?? i.mark()), underlyingPrice: r4(i.underlyingPrice),
        uvExpirationType: o.weekly ? 'W' : 'S', exchange: 'o', exchangeName: 'OPR', lastTradingDay: o.expiry + 86_400_000, settlementType: ' ',
        netPercentChangeInDouble: pct(i.last, i.close), markChangeInDouble: r4(i.mark() - i.close), markPercentChangeInDouble: pct(i.mark(), i.close),
        impliedYield: 0, isPennyPilot: true, ...tail,
      };
    }
    case 'future':
    case 'future-option': {
      const fu = ref.future!;
      return {
        ...head, bidPriceInDouble: i.bid, askPriceInDouble: i.ask, lastPriceInDouble: i.last, bidId: 'E', askId: 'E', highPriceInDouble: i.high, lowPriceInDouble: i.low,
        closePriceInDouble: i.close, exchange: 'E', description: ref.description, lastId: 'E', openPriceInDouble: i.open, changeInDouble: net,
        futurePercentChange: i.close ? r4((i.last - i.close) / i.close) : 0, exchangeName: fu.spec.mic, securityStatus: normal('Unknown'), openInterest: i.openInterest,
        mark: i.mark(), tick: ref.tick, tickAmount: r4(ref.tick * ref.multiplier), product: `/${fu.root}`, futurePriceFormat: 'D,D', futureTradingHours: GLOBEX_HOURS,
        futureIsTradable: true, futureMultiplier: ref.multiplier, futureIsActive: true, futureSettlementPrice: i.close, futureActiveSymbol: fu.contract,
        futureExpirationDate: ref.option?.expiry ?? fu.expiry, ...(ref.option ? { strikePrice: ref.option.strike, contractType: ref.option.putCall } : {}),
        bidSizeInLong: i.bidSize, askSizeInLong: i.askSize, lastSizeInLong: i.lastSize, totalVolume: i.volume, quoteTimeInLong: i.quoteTime, tradeTimeInLong: i.tradeTime,
        ...tail,
      };
    }
    case 'forex':
      return {
        ...head, bidPriceInDouble: i.bid, askPriceInDouble: i.ask, lastPriceInDouble: i.last, bidSizeInLong: i.bidSize, askSizeInLong: i.askSize,
        lastSizeInLong: i.lastSize, highPriceInDouble: i.high, lowPriceInDouble: i.low, closePriceInDouble: i.close, exchange: 'T', description: ref.description,
        openPriceInDouble: i.open, changeInDouble: net, percentChange: pct(i.last, i.close), exchangeName: 'GFT', digits: ref.digits, securityStatus: normal('Unknown'),
        tick: ref.tick, tickAmount: ref.tick, product: '', tradingHours: '', isTradable: true, marketMaker: '', '52WkHighInDouble': i.high,
        '52WkLowInDouble': i.low, mark: i.mark(), quoteTimeInLong: i.quoteTime, tradeTimeInLong: i.tradeTime, ...tail,
      };
  }
}
