/**
 * Static reference data for the generated market: well-known listings (names, rough prices, CUSIPs,
 * listing exchanges), futures roots, currencies and the venues that appear in quotes and books.
 * Prices are plausible starting points only; the walk takes over from there.
 */

/** Listing exchange codes as Schwab sends them (docs/protocol/schwab.md §5.1 field 13). */
export type ListingCode = 'Q' | 'N' | 'P' | 'A' | 'U' | '0';

export interface EquityListing {
  name: string;
  price: number;
  exchange: ListingCode;
  cusip: string;
  subType: 'COE' | 'ETF' | 'ADR';
  /** Typical shares traded per day, which drives actives and screeners. */
  dailyVolume: number;
}

const L = (name: string, price: number, exchange: ListingCode, cusip: string, dailyVolume: number, subType: EquityListing['subType'] = 'COE'): EquityListing => ({
  name, price, exchange, cusip, subType, dailyVolume,
});

export const WELL_KNOWN: Readonly<Record<string, EquityListing>> = {
  AAPL: L('Apple Inc', 228.5, 'Q', '037833100', 55e6),
  MSFT: L('Microsoft Corp', 421.3, 'Q', '594918104', 21e6),
  GOOG: L('Alphabet Inc. C', 175.2, 'Q', '02079K107', 20e6),
  GOOGL: L('Alphabet Inc. A', 173.9, 'Q', '02079K305', 28e6),
  AMZN: L('Amazon.com Inc', 186.4, 'Q', '023135106', 40e6),
  TSLA: L('Tesla Inc', 248.1, 'Q', '88160R101', 95e6),
  NVDA: L('NVIDIA Corp', 131.6, 'Q', '67066G104', 250e6),
  META: L('Meta Platforms Inc', 565.2, 'Q', '30303M102', 14e6),
  NFLX: L('Netflix Inc', 690.4, 'Q', '64110L106', 4e6),
  AMD: L('Advanced Micro Devices Inc', 158.3, 'Q', '007903107', 45e6),
  INTC: L('Intel Corp', 22.4, 'Q', '458140100', 60e6),
  CSCO: L('Cisco Systems Inc', 56.8, 'Q', '17275R102', 18e6),
  QQQ: L('Invesco QQQ Trust', 505.1, 'Q', '46090E103', 35e6, 'ETF'),
  IBM: L('International Business Machines', 221.2, 'N', '459200101', 4e6),
  ORCL: L('Oracle Corp', 170.6, 'N', '68389X105', 9e6),
  JPM: L('JPMorgan Chase & Co', 222.7, 'N', '46625H100', 9e6),
  BAC: L('Bank of America Corp', 43.1, 'N', '060505104', 38e6),
  XOM: L('Exxon Mobil Corp', 118.9, 'N', '30231G102', 15e6),
  F: L('Ford Motor Co', 10.9, 'N', '345370860', 50e6),
  KO: L('Coca-Cola Co', 63.5, 'N', '191216100', 13e6),
  DIS: L('Walt Disney Co', 96.3, 'N', '254687106', 9e6),
  BABA: L('Alibaba Group Holding Ltd ADR', 88.2, 'N', '01609W102', 15e6, 'ADR'),
  SPY: L('SPDR S&P 500 ETF Trust', 590.3, 'P', '78462F103', 45e6, 'ETF'),
  IWM: L('iShares Russell 2000 ETF', 232.4, 'P', '464287655', 30e6, 'ETF'),
  DIA: L('SPDR Dow Jones Industrial Average ETF', 441.5, 'P', '78467X109', 3e6, 'ETF'),
  XLF: L('Financial Select Sector SPDR ETF', 48.1, 'P', '81369Y605', 40e6, 'ETF'),
};

/** Indices: trades only, no bid/ask (docs/protocol/tdameritrade.md §5.1). */
export const INDICES: Readonly<Record<string, { name: string; price: number }>> = {
  $SPX: { name: 'S&P 500 INDEX', price: 5950 },
  $DJI: { name: 'DOW JONES INDUSTRIAL AVERAGE', price: 43800 },
  $COMPX: { name: 'NASDAQ COMPOSITE', price: 19100 },
  $RUT: { name: 'RUSSELL 2000 INDEX', price: 2350 },
  $VIX: { name: 'CBOE VOLATILITY INDEX', price: 15.2 },
};

export interface FuturesRoot {
  name: string;
  price: number;
  tick: number;
  multiplier: number;
  /** Exchange MIC as in LEVELONE_FUTURES field 21 (docs/protocol/schwab.md §5.3). */
  mic: string;
  /** Listed contract months, as month codes. */
  cycle: string;
  digits: number;
  /** Daily volatility (standard deviation of the log price over 24 hours). */
  vol: number;
}

const QUARTERLY = 'HMUZ';
const MONTHLY = 'FGHJKMNQUVXZ';

export const FUTURES_ROOTS: Readonly<Record<string, FuturesRoot>> = {
  ES: { name: 'E-mini S&P 500 Index Futures', price: 5950, tick: 0.25, multiplier: 50, mic: 'XCME', cycle: QUARTERLY, digits: 2, vol: 0.009 },
  NQ: { name: 'E-mini Nasdaq-100 Index Futures', price: 20900, tick: 0.25, multiplier: 20, mic: 'XCME', cycle: QUARTERLY, digits: 2, vol: 0.012 },
  YM: { name: 'E-mini Dow Jones Industrial Average Index Futures', price: 43900, tick: 1, multiplier: 5, mic: 'XCBT', cycle: QUARTERLY, digits: 0, vol: 0.008 },
  RTY: { name: 'E-mini Russell 2000 Index Futures', price: 2360, tick: 0.1, multiplier: 50, mic: 'XCME', cycle: QUARTERLY, digits: 1, vol: 0.013 },
  CL: { name: 'Light Sweet Crude Oil Futures', price: 71.2, tick: 0.01, multiplier: 1000, mic: 'XNYM', cycle: MONTHLY, digits: 2, vol: 0.022 },
  NG: { name: 'Henry Hub Natural Gas Futures', price: 3.21, tick: 0.001, multiplier: 10000, mic: 'XNYM', cycle: MONTHLY, digits: 3, vol: 0.035 },
  GC: { name: 'Gold Futures', price: 2655, tick: 0.1, multiplier: 100, mic: 'XCEC', cycle: 'GJMQVZ', digits: 1, vol: 0.009 },
  SI: { name: 'Silver Futures', price: 31.2, tick: 0.005, multiplier: 5000, mic: 'XCEC', cycle: 'HKNUZ', digits: 3, vol: 0.016 },
  ZN: { name: '10-Year T-Note Futures', price: 110.5, tick: 0.015625, multiplier: 1000, mic: 'XCBT', cycle: QUARTERLY, digits: 6, vol: 0.004 },
  ZB: { name: 'U.S. Treasury Bond Futures', price: 117.25, tick: 0.03125, multiplier: 1000, mic: 'XCBT', cycle: QUARTERLY, digits: 5, vol: 0.007 },
  ZC: { name: 'Corn Futures', price: 432.25, tick: 0.25, multiplier: 50, mic: 'XCBT', cycle: 'HKNUZ', digits: 2, vol: 0.013 },
  '6E': { name: 'Euro FX Futures', price: 1.0585, tick: 0.00005, multiplier: 125000, mic: 'XCME', cycle: QUARTERLY, digits: 5, vol: 0.0045 },
};

export const MONTH_CODES = 'FGHJKMNQUVXZ';
export const MONTH_NAMES = ['Jan', 'Feb', 'Mar', 'Apr', 'May', 'Jun', 'Jul', 'Aug', 'Sep', 'Oct', 'Nov', 'Dec'];

/** The Globex session string as captured (docs/protocol/schwab.md §5.3 field 29, docs/protocol/tdameritrade.md §5.3 field 29). */
export const GLOBEX_HOURS = 'GLBX(de=1640;0=-17001600;1=-17001600d-15551640;7=d-16401555)';

export const CURRENCIES: Readonly<Record<string, string>> = {
  EUR: 'Euro', USD: 'USDollar', JPY: 'Japanese Yen', GBP: 'GBPound', CHF: 'Swiss Franc', AUD: 'Australian Dollar',
  CAD: 'Canadian Dollar', NZD: 'New Zealand Dollar', CNH: 'Chinese Yuan', MXN: 'Mexican Peso', SEK: 'Swedish Krona',
};

/** Rough USD value of one unit, to give any pair of known currencies a plausible rate. */
export const USD_VALUE: Readonly<Record<string, number>> = {
  USD: 1, EUR: 1.055, GBP: 1.27, CHF: 1.135, AUD: 0.652, CAD: 0.714, NZD: 0.59, JPY: 0.00648, CNH: 0.138, MXN: 0.049, SEK: 0.091,
};

/** Quote venues: the one-letter code of the bid/ask/last ID fields and its MIC (docs/protocol/schwab.md §5.1 fields 6, 7, 16, 39-41). */
export const EQUITY_VENUES: readonly (readonly [code: string, mic: string])[] = [
  ['Q', 'XNAS'], ['N', 'XNYS'], ['P', 'ARCX'], ['Z', 'BATS'], ['Y', 'BATY'], ['K', 'EDGX'], ['J', 'EDGA'],
  ['V', 'IEXG'], ['U', 'MEMX'], ['B', 'XBOS'], ['X', 'XPSX'], ['D', 'TRFC'],
];

/** Market-maker / venue ids in books; letter case varies on the wire (docs/protocol/schwab.md §5.6). */
export const BOOK_VENUES = ['NSDQ', 'arcx', 'edgx', 'batx', 'NYSE', 'GSCO', 'CDRG', 'memx', 'iexg', 'JPMS', 'edga', 'baty', 'BOSX', 'UBSS'];
export const OPTION_BOOK_VENUES = ['CBOE', 'PHLX', 'ISEX', 'AMEX', 'BOXE', 'MIAX', 'ARCO', 'C2OX', 'GMNI', 'EDGO', 'MPRL', 'NSDQ'];

/** Underlyings whose options make up the options actives and screeners. */
export const OPTION_UNDERLYINGS = ['SPY', 'QQQ', 'AAPL', 'TSLA', 'NVDA', 'AMZN', 'META', 'IWM', 'AMD', 'MSFT', 'GOOGL', 'BAC'];
