/**
 * One simulated instrument: a random walk of its fair price and the quote and trade events around it.
 * Each step is one market event (a bid change, an ask change, or a trade), so a delta carries the few
 * fields one event touches, like the real feed (docs/protocol/schwab.md §4.4 "Delta semantics"). Options reprice from
 * their underlying's walk with Black–Scholes.
 */
import type { InstrumentRef } from './instrument-ref.js';
import { blackScholes, type OptionValue } from './option-pricing.js';
import { intBetween, normal, randFor, type Rand } from './prng.js';
import { EQUITY_VENUES } from './reference-data.js';

export interface Bar {
  start: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** Daily and fundamental numbers that do not move during a session. */
export interface Fundamentals {
  high52: number;
  low52: number;
  peRatio: number;
  dividendAmount: number;
  dividendYield: number;
  dividendDate: string;
  htbQuantity: number;
  shortable: boolean;
}

const YEAR_MS = 365 * 86_400_000;
/** Per-event volatility of the fair price, by asset kind. */
const SIGMA: Record<InstrumentRef['kind'], number> = { equity: 0.0005, index: 0.0002, option: 0, future: 0.00025, 'future-option': 0, forex: 0.00006 };

export class Instrument {
  readonly rand: Rand;
  mid: number;
  bid = 0;
  ask = 0;
  last: number;
  bidSize = 0;
  askSize = 0;
  lastSize = 0;
  volume: number;
  trades: number;
  tradeSeq: number;
  open: number;
  high: number;
  low: number;
  close: number;
  openInterest: number;
  /** Index into EQUITY_VENUES of the venue behind the bid, the ask and the last trade. */
  bidVenue = 0;
  askVenue = 0;
  lastVenue = 0;
  quoteTime: number;
  bidTime: number;
  askTime: number;
  tradeTime: number;
  readonly fundamentals: Fundamentals;
  /** Option value and greeks as of the last quote event. */
  greeks: OptionValue | null = null;
  underlyingPrice = 0;
  bar: Bar | null = null;
  prevBar: Bar | null = null;

  constructor(
    readonly ref: InstrumentRef,
    seed: number,
    now: number,
    private readonly barMs: number,
    readonly underlying: Instrument | null,
  ) {
    const r = (this.rand = randFor(seed, `walk:${ref.symbol}`));
    const optionLike = ref.option !== undefined;
    if (optionLike && underlying) {
      this.underlyingPrice = underlying.mid;
      this.greeks = this.price(now);
      this.mid = Math.max(ref.tick, this.greeks.value);
    } else {
      this.mid = ref.price * (1 + normal(r) * 0.004);
    }
    const d = ref.digits;
    this.close = this.round(this.mid * (1 + normal(r) * 0.006), d);
    this.open = this.round(this.close * (1 + normal(r) * 0.003), d);
    this.last = this.round(this.mid, d);
    this.high = Math.max(this.open, this.last, this.close * (1 + r() * 0.004));
    this.low = Math.min(this.open, this.last, this.close * (1 - r() * 0.004));
    this.high = this.round(this.high, d);
    this.low = this.round(this.low, d);
    this.volume = ref.kind === 'forex' ? Math.round(r() * 4e8) : Math.round(ref.dailyVolume * (0.15 + r() * 0.5));
    this.trades = Math.round(this.volume / (optionLike ? 4 : ref.kind === 'future' ? 3 : 150));
    this.tradeSeq = intBetween(r, 1000, 90000);
    this.openInterest = optionLike ? intBetween(r, 50, 60000) : ref.kind === 'future' ? intBetween(r, 2e5, 2.5e6) : 0;
    this.bidSize = this.quoteSize();
    this.askSize = this.quoteSize();
    this.lastSize = this.tradeSize();
    this.bidVenue = intBetween(r, 0, EQUITY_VENUES.length - 1);
    this.askVenue = intBetween(r, 0, EQUITY_VENUES.length - 1);
    this.lastVenue = intBetween(r, 0, EQUITY_VENUES.length - 1);
    this.quoteTime = this.bidTime = this.askTime = now - intBetween(r, 0, 2000);
    this.tradeTime = now - intBetween(r, 0, 5000);
    const div = ref.kind === 'equity' && r() < 0.6 ? this.round(ref.price * (0.005 + r() * 0.03), 2) : 0;
    this.fundamentals = {
      high52: this.round(this.close * (1.1 + r() * 0.5), d),
      low52: this.round(this.close * (0.5 + r() * 0.35), d),
      peRatio: ref.kind === 'equity' ? this.round(8 + r() * 60, 5) : 0,
      dividendAmount: div,
      dividendYield: div ? this.round((100 * div) / ref.price, 5) : 0,
      dividendDate: div ? `${new Date(now + r() * 90 * 86_400_000).toISOString().slice(0, 10)} 00:00:00.0` : ' ',
      htbQuantity: Math.round(r() * 1e8),
      shortable: r() < 0.95,
    };
    if (ref.kind !== 'index') this.requote(true, true);
  }

  private round(v: number, digits: number): number {
    const f = 10 ** digits;
    return Math.round(v * f) / f;
  }

  private toTick(v: number, dir: 'down' | 'up'): number {
    const t = this.ref.tick;
    const n = dir === 'down' ? Math.floor(v / t + 1e-9) : Math.ceil(v / t - 1e-9);
    return this.round(n * t, this.ref.digits);
  }

  private quoteSize(): number {
    const r = this.rand;
    switch (this.ref.kind) {
      case 'forex': return 1_000_000 * intBetween(r, 1, 5);
      case 'future': return intBetween(r, 1, 150);
      case 'option':
      case 'future-option': return intBetween(r, 1, 200);
      default: return 100 * intBetween(r, 1, 20);
    }
  }

  private tradeSize(): number {
    const r = this.rand;
    switch (this.ref.kind) {
      case 'index': return 0;
      case 'forex': return 10_000 * intBetween(r, 1, 100);
      case 'future': return intBetween(r, 1, 12);
      case 'option':
      case 'future-option': return intBetween(r, 1, 25);
      default: return r() < 0.6 ? 100 * intBetween(r, 1, 8) : intBetween(r, 1, 99);
    }
  }

  /** Option value from the underlying's fair price, as of `now`. */
  private price(now: number): OptionValue {
    const o = this.ref.option!;
    return blackScholes(this.underlyingPrice, o.strike, Math.max(0, (o.expiry + 20 * 3_600_000 - now) / YEAR_MS), o.volatility, o.putCall);
  }

  /** Moves the fair price one event's worth (an option follows its underlying instead). */
  walk(): void {
    const sigma = SIGMA[this.ref.kind];
    if (sigma > 0) this.mid *= Math.exp(sigma * normal(this.rand));
    else if (this.underlying) this.underlying.walk();
  }

  /** Sets bid and/or ask around the fair price, a few ticks wide. */
  private requote(bidSide: boolean, askSide: boolean): void {
    const t = this.ref.tick;
    const optionTick = this.ref.option && this.ref.kind === 'option' && this.mid >= 3 ? 0.05 : t;
    const half = (optionTick * intBetween(this.rand, 1, this.ref.kind === 'option' ? 6 : 3)) / 2;
    const bid = Math.max(0, this.toTick(this.mid - half, 'down'));
    let ask = this.toTick(this.mid + half, 'up');
    if (ask <= bid) ask = this.round(bid + t, this.ref.digits);
    if (bidSide || bid >= this.ask) {
      this.bid = bid;
      this.bidSize = this.quoteSize();
      this.bidVenue = intBetween(this.rand, 0, EQUITY_VENUES.length - 1);
    }
    if (askSide || ask <= this.bid) {
      this.ask = ask;
      this.askSize = this.quoteSize();
      this.askVenue = intBetween(this.rand, 0, EQUITY_VENUES.length - 1);
    }
    if (this.ask <= this.bid) this.ask = this.round(this.bid + t, this.ref.digits);
  }

  /** One market event at `now`. Returns true when it was a trade. */
  step(now: number): boolean {
    this.walk();
    const r = this.rand;
    if (this.underlying && this.ref.option) {
      this.underlyingPrice = this.underlying.mid;
      this.greeks = this.price(now);
      this.mid = Math.max(this.ref.tick, this.greeks.value);
    }
    const index = this.ref.kind === 'index';
    if (!index && r() < 0.62) {
      const bidSide = r() < 0.5;
      if (r() < 0.3) {
        // Size-only change at the same price.
        if (bidSide) this.bidSize = this.quoteSize();
        else this.askSize = this.quoteSize();
      } else this.requote(bidSide, !bidSide);
      this.quoteTime = now;
      if (bidSide) this.bidTime = now;
      else this.askTime = now;
      return false;
    }
    const u = r();
    const price = index ? this.round(this.mid, this.ref.digits) : u < 0.45 ? this.bid : u < 0.9 ? this.ask : this.toTick(this.mid, 'down');
    this.trade(Math.max(this.ref.tick, price), this.tradeSize(), now);
    return true;
  }

  private trade(price: number, size: number, now: number): void {
    this.last = price;
    this.lastSize = size;
    this.volume += size;
    this.trades++;
    this.tradeSeq++;
    this.tradeTime = now;
    this.lastVenue = intBetween(this.rand, 0, EQUITY_VENUES.length - 1);
    if (price > this.high) this.high = price;
    if (price < this.low) this.low = price;
    const start = Math.floor(now / this.barMs) * this.barMs;
    const b = this.bar;
    if (!b || b.start !== start) {
      this.prevBar = b;
      this.bar = { start, open: price, high: price, low: price, close: price, volume: size };
    } else {
      b.close = price;
      if (price > b.high) b.high = price;
      if (price < b.low) b.low = price;
      b.volume += size;
    }
  }

  /** The bar that started at `start`, or null when nothing traded in it. */
  barAt(start: number): Bar | null {
    if (this.bar?.start === start) return this.bar;
    if (this.prevBar?.start === start) return this.prevBar;
    return null;
  }

  /** The mark: the last price inside the spread, else the midpoint (docs/protocol/schwab.md §5.3 field 24). */
  mark(): number {
    if (this.ref.kind === 'index' || (this.last >= this.bid && this.last <= this.ask)) return this.last;
    return this.round((this.bid + this.ask) / 2, this.ref.digits + 1);
  }
}
