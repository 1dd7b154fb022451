/**
 * The simulated market's instruments: a random walk per symbol, seeded by the simulator seed and
 * the symbol itself, so any well-formed symbol trades and the same seed replays the same prices.
 */
import type { SymbolKind } from '../../../shared/symbols.js';
import { hashString, mulberry32 } from './prng.js';

const NAMES: Record<string, string> = {
  AAPL: 'Apple Inc', MSFT: 'Microsoft Corp', GOOG: 'Alphabet Inc C', AMZN: 'Amazon.com Inc', TSLA: 'Tesla Inc',
  NVDA: 'NVIDIA Corp', META: 'Meta Platforms Inc', SPY: 'SPDR S&P 500 ETF', QQQ: 'Invesco QQQ Trust', IBM: 'International Business Machines',
  '/ES': 'E-mini S&P 500 Index Futures', '/NQ': 'E-mini Nasdaq-100 Index Futures', '/CL': 'Light Sweet Crude Oil Futures',
  '/GC': 'Gold Futures', '/ZN': '10-Year T-Note Futures', 'EUR/USD': 'Euro/USDollar Spot', 'USD/JPY': 'USDollar/Japanese Yen Spot',
};

const BASE_PRICE: Record<string, number> = {
  AAPL: 228, MSFT: 421, GOOG: 175, AMZN: 186, TSLA: 248, NVDA: 131, META: 565, SPY: 590, QQQ: 505, IBM: 221,
  '/ES': 5900, '/NQ': 20800, '/CL': 71, '/GC': 2650, '/ZN': 110, 'EUR/USD': 1.055, 'USD/JPY': 154.2,
};

export interface Instrument {
  symbol: string;
  kind: SymbolKind;
  description: string;
  tick: number;
  digits: number;
  close: number;
  open: number;
  last: number;
  bid: number;
  ask: number;
  high: number;
  low: number;
  bidSize: number;
  askSize: number;
  lastSize: number;
  volume: number;
  trades: number;
  quoteTime: number;
  tradeTime: number;
  rand: () => number;
}

const round = (v: number, digits: number) => Math.round(v * 10 ** digits) / 10 ** digits;

export function createInstrument(symbol: string, kind: SymbolKind, seed: number, now: number): Instrument {
  const rand = mulberry32(hashString(symbol) ^ seed);
  const digits = kind === 'forex' ? 5 : 2;
  const tick = kind === 'forex' ? 0.00001 : kind === 'future' ? 0.25 : 0.01;
  const base = BASE_PRICE[symbol] ?? (kind === 'option' || kind === 'future-option' ? 2 + rand() * 30 : 10 + rand() * 290);
  const close = round(base, digits);
  const open = round(close * (1 + (rand() - 0.5) * 0.01), digits);
  const inst: Instrument = {
    symbol, kind, tick, digits, close, open,
    description: NAMES[symbol] ?? `${symbol} ${kind === 'equity' ? 'Corp' : kind === 'future' ? 'Futures' : kind === 'forex' ? 'Spot' : 'Option'}`,
    last: open, bid: open - tick, ask: open + tick, high: Math.max(open, close), low: Math.min(open, close),
    bidSize: 1 + Math.floor(rand() * 20), askSize: 1 + Math.floor(rand() * 20), lastSize: 100,
    volume: Math.floor(rand() * 1e6), trades: Math.floor(rand() * 1e4), quoteTime: now, tradeTime: now, rand,
  };
  return inst;
}

/** One market event: a quote change, and usually a trade. Returns true when it traded. */
export function step(inst: Instrument, now: number): boolean {
  const r = inst.rand;
  const move = (r() - 0.5) * inst.last * 0.0015;
  const mid = Math.max(inst.tick * 2, inst.last + move);
  const spread = inst.tick * (1 + Math.floor(r() * 3));
  inst.bid = round(mid - spread / 2, inst.digits);
  inst.ask = round(Math.max(inst.bid + inst.tick, mid + spread / 2), inst.digits);
  if (r() < 0.5) inst.bidSize = 1 + Math.floor(r() * 30);
  if (r() < 0.5) inst.askSize = 1 + Math.floor(r() * 30);
  inst.quoteTime = now;
  const traded = r() < 0.7;
  if (traded) {
    inst.last = r() < 0.5 ? inst.bid : inst.ask;
    inst.lastSize = inst.kind === 'forex' ? 10000 * (1 + Math.floor(r() * 50)) : 100 * (1 + Math.floor(r() * 10));
    inst.volume += inst.lastSize;
    inst.trades += 1;
    inst.tradeTime = now;
    inst.high = Math.max(inst.high, inst.last);
    inst.low = Math.min(inst.low, inst.last);
  }
  return traded;
}
