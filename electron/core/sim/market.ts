/**
 * The simulated market shared by every connection: instruments by symbol, the generated universe
 * (for actives and screeners), and the nested payloads built from it (books, actives, screener items).
 */
import { classifySymbol, type SymbolKind } from '../../../shared/symbols.js';
import type { Dialect } from '../../../shared/protocol/services.js';
import { createInstrument, step, type Instrument } from './instruments.js';
import { syntheticSymbol } from './symbol-names.js';

const WELL_KNOWN = ['AAPL', 'MSFT', 'GOOG', 'AMZN', 'TSLA', 'NVDA', 'META', 'SPY', 'QQQ', 'IBM', 'NFLX', 'AMD', 'INTC', 'ORCL', 'CSCO'];
const VENUES = ['NSDQ', 'arcx', 'edgx', 'batx', 'NYSE', 'GSCO', 'CDRG', 'memx', 'iexg', 'JPMS'];

export class Market {
  private readonly instruments = new Map<string, Instrument>();
  readonly universe: string[];

  constructor(
    private readonly seed: number,
    symbols: number,
  ) {
    this.universe = [...WELL_KNOWN, ...Array.from({ length: Math.max(0, symbols - WELL_KNOWN.length) }, (_, i) => syntheticSymbol(i, 'Z'))];
  }

  /** The instrument for a symbol of valid form, created on first use; undefined for a malformed symbol. */
  instrument(symbol: string, dialect: Dialect): Instrument | undefined {
    let inst = this.instruments.get(symbol);
    if (!inst) {
      const c = classifySymbol(symbol, dialect);
      if (!c.ok || c.symbol !== symbol) return undefined;
      inst = createInstrument(symbol, c.kind, this.seed, Date.now());
      this.instruments.set(symbol, inst);
    }
    return inst;
  }

  step(inst: Instrument, now: number): boolean {
    return step(inst, now);
  }

  /** A whole book around the current quote: 8 levels a side, participants summing to each level. */
  book(inst: Instrument, now: number): { bids: unknown[]; asks: unknown[] } {
    const r = inst.rand;
    const side = (start: number, dir: 1 | -1) =>
      Array.from({ length: 8 }, (_, level) => {
        const price = Math.round((start + dir * level * inst.tick) * 10 ** inst.digits) / 10 ** inst.digits;
        const count = 1 + Math.floor(r() * 3);
        const entries = Array.from({ length: count }, () => ({ '0': VENUES[Math.floor(r() * VENUES.length)]!, '1': 100 * (1 + Math.floor(r() * 20)), '2': (now - 5 * 3600_000) % 86_400_000 }));
        return { '0': price, '1': entries.reduce((s, e) => s + e['1'], 0), '2': count, '3': entries };
      });
    return { bids: side(inst.bid, -1), asks: side(inst.ask, 1) };
  }

  private ranked(dialect: Dialect, by: 'trades' | 'volume', n = 10): Instrument[] {
    const insts = this.universe.slice(0, 200).map((s) => this.instrument(s, dialect)!).filter(Boolean);
    for (const i of insts) if (i.rand() < 0.5) step(i, Date.now());
    return insts.sort((a, b) => b[by] - a[by]).slice(0, n);
  }

  /** The TD actives string (tdameritrade.md 5.11): descriptor, then trades and shares groups. */
  actives(key: string, dialect: Dialect, id: number, now: Date): string {
    const duration = Number(key.split('-').pop()) || 0;
    const hms = (d: Date) => `${d.getUTCHours()}:${String(d.getUTCMinutes()).padStart(2, '0')}:${String(d.getUTCSeconds()).padStart(2, '0')}`;
    const group = (gid: number, by: 'trades' | 'volume') => {
      const top = this.ranked(dialect, by);
      const total = top.reduce((s, i) => s + i[by], 0) * 3;
      return [gid, top.length, total, ...top.flatMap((i) => [i.symbol, i[by], ((100 * i[by]) / total).toFixed(2)])].join(':');
    };
    return [id, duration, hms(new Date(now.getTime() - duration * 1000)), hms(now), 2, group(0, 'trades'), group(1, 'volume')].join(';');
  }

  /** SCREENER_* items (schwab.md 5.9): named keys, netPercentChange a ratio. */
  screener(dialect: Dialect, sortField: string): unknown[] {
    const top = this.ranked(dialect, sortField === 'TRADES' ? 'trades' : 'volume');
    const total = top.reduce((s, i) => s + i.volume, 0) * 4;
    return top.map((i) => ({
      symbol: i.symbol, description: i.description, lastPrice: i.last, netChange: Math.round((i.last - i.close) * 100) / 100,
      netPercentChange: Math.round(((i.last - i.close) / i.close) * 1e6) / 1e6, marketShare: Math.round((10000 * i.volume) / total) / 100,
      totalVolume: i.volume * 4, volume: i.volume, trades: i.trades,
    }));
  }

  /** One completed bar for the minute (or barMs) that just ended, around the current price. */
  bar(inst: Instrument, start: number): { open: number; high: number; low: number; close: number; volume: number } {
    const r = inst.rand;
    const d = inst.digits;
    const rnd = (v: number) => Math.round(v * 10 ** d) / 10 ** d;
    const close = inst.last;
    const open = rnd(close * (1 + (r() - 0.5) * 0.003));
    const high = rnd(Math.max(open, close) * (1 + r() * 0.001));
    const low = rnd(Math.min(open, close) * (1 - r() * 0.001));
    void start;
    return { open, high, low, close, volume: 100 * (1 + Math.floor(r() * 500)) };
  }

  kindOf(symbol: string): SymbolKind | undefined {
    return this.instruments.get(symbol)?.kind;
  }
}
