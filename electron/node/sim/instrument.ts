/**
 * One simulated instrument: the quote and trade events around its fair price. The fair price is a
 * seeded path in wall-clock time (price-path.ts), so volatility is per unit of time, not per event:
 * a faster feed samples the same path more often. Each step is one market event (a bid change, an ask
 * change, or a trade), so a delta carries the few fields one event touches, like the real feed
 * (docs/protocol/schwab.md §4.4 "Delta semantics"). Spreads are a tick or a few, sizes round lots.
 * The day's open, high, low and previous close come from the same path as price history
 * (price-history.ts), anchored so the previous close is the reference price. Options reprice from
 * their underlying with Black–Scholes.
 */
import type { InstrumentRef } from './instrument-ref.js';
import { blackScholes, type OptionValue } from './option-pricing.js';
import { PricePath } from './price-path.js';
import { hashString, intBetween, randFor, type Rand } from './prng.js';
import { EQUITY_VENUES } from './reference-data.js';
import { previousTradingDay, regularSession, sessionDay } from './sessions.js';

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
const DAY_MS = 86_400_000;
/** A liquid instrument trades at least this often: a quote asked for after a quiet spell first trades. */
const STALE_TRADE_MS = 2000;

/** The seeded price path of a path name (shared by everything that is the same instrument). */
export function pathFor(seed: number, ref: InstrumentRef): PricePath {
  return new PricePath(hashString(`path:${ref.pathName}`) ^ Math.imul(seed | 0, 0x9e3779b1), ref.dailyVol);
}

/** The day's figures of a path-priced instrument, as log-price offsets on its path. */
export interface DayFigures {
  /** The session day (days since 1970-01-01, New York). */
  day: number;
  /** When the previous trading day's regular session closed (epoch ms). */
  closeTime: number;
  open: number;
  high: number;
  low: number;
  /** Fraction of the regular session gone by (0 before the open, 1 after the close). */
  elapsed: number;
}

export class Instrument {
  readonly rand: Rand;
  /** The fair price path (null for options, which follow their underlying). */
  readonly path: PricePath | null;
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
  /** When the previous close was made (epoch ms): price history's previousCloseDate. */
  closeTime: number;
  openInterest: number;
  /** Index into EQUITY_VENUES of the venue behind the bid, the ask and the last trade. */
  bidVenue = 0;
  askVenue = 0;
  lastVenue = 0;
  quoteTime: number;
  bidTime: number;
  askTime: number;
  tradeTime: number;
  private fundamentalsCache: Fundamentals | null = null;
  /** Option value and greeks as of the last quote event. */
  greeks: OptionValue | null = null;
  underlyingPrice = 0;
  bar: Bar | null = null;
  prevBar: Bar | null = null;
  /** The log-price offset of the previous close: fair(t) = ref.price · exp(x(t) − anchorX). */
  private readonly anchorX: number;
  private readonly seedDraws: number[];
  private readonly seed: number;

  constructor(
    readonly ref: InstrumentRef,
    seed: number,
    now: number,
    private readonly barMs: number,
    readonly underlying: Instrument | null,
  ) {
    this.seed = seed;
    const r = (this.rand = randFor(seed, `walk:${ref.symbol}`));
    this.seedDraws = [r(), r(), r(), r(), r(), r(), r(), r()];
    const optionLike = ref.option !== undefined;
    const d = ref.digits;
    if (optionLike && underlying) {
      this.path = null;
      this.anchorX = 0;
      underlying.advance(now);
      this.underlyingPrice = underlying.mid;
      this.greeks = this.price(now);
      this.mid = Math.max(ref.tick, this.greeks.value);
      // Yesterday's close: the model value on the underlying's close, a day less to expiry.
      const o = ref.option!;
      this.closeTime = underlying.closeTime;
      this.close = this.round(Math.max(ref.tick, blackScholes(underlying.close, o.strike, Math.max(0, (o.expiry + 20 * 3_600_000 - underlying.closeTime) / YEAR_MS), o.volatility, o.putCall).value), d);
      this.open = this.round(this.close * (1 + (this.seedDraws[0]! - 0.5) * 0.06), d);
      this.last = this.round(this.mid, d);
      this.high = this.round(Math.max(this.open, this.last, this.close) * (1 + this.seedDraws[1]! * 0.05), d);
      this.low = this.round(Math.min(this.open, this.last, this.close) * (1 - this.seedDraws[2]! * 0.05), d);
      this.volume = Math.round(ref.dailyVolume * (0.15 + r() * 0.5));
    } else {
      this.path = pathFor(seed, ref);
      const day = dayFigures(this.path, ref, now);
      this.anchorX = this.path.x(day.closeTime);
      this.closeTime = day.closeTime;
      this.close = this.onTick(ref.price);
      this.mid = this.fair(now);
      this.last = this.onTick(this.mid);
      const scale = (x: number) => this.onTick(ref.price * Math.exp(x - this.anchorX));
      this.open = scale(day.open);
      this.high = Math.max(scale(day.high), this.open, this.last);
      this.low = Math.min(scale(day.low), this.open, this.last);
      this.volume = ref.kind === 'forex' ? Math.round(r() * 4e8) : Math.round(ref.dailyVolume * Math.max(0.02, day.elapsed) * (0.7 + this.seedDraws[3]! * 0.6));
    }
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
    if (ref.kind !== 'index') this.requote(true, true);
  }

  /** The fair price at `t` (path-priced instruments). */
  fair(t: number): number {
    return this.path ? this.ref.price * Math.exp(this.path.x(t) - this.anchorX) : this.mid;
  }

  /** Daily and fundamental numbers, worked out on first use (the 52-week range reads a year of path). */
  get fundamentals(): Fundamentals {
    if (this.fundamentalsCache) return this.fundamentalsCache;
    const ref = this.ref;
    const d = ref.digits;
    const r = randFor(this.seed, `fundamentals:${ref.symbol}`);
    const draws = this.seedDraws;
    let high52: number;
    let low52: number;
    if (this.path) {
      // Sampled weekly: every instrument's first full quote needs this, and a year of half-days for
      // thousands of symbols made the demo's first seconds a CPU burst (the margins below cover the rest).
      const range = this.path.range(this.closeTime - 365 * DAY_MS, this.closeTime, 7 * DAY_MS);
      high52 = Math.max(this.high, this.round(ref.price * Math.exp(range.high - this.anchorX) * 1.01, d));
      low52 = Math.min(this.low, this.round(ref.price * Math.exp(range.low - this.anchorX) * 0.99, d));
    } else {
      high52 = this.round(this.close * (1.1 + draws[4]! * 0.5), d);
      low52 = this.round(this.close * (0.5 + draws[5]! * 0.35), d);
    }
    const div = ref.kind === 'equity' && draws[6]! < 0.6 ? this.round(ref.price * (0.005 + draws[7]! * 0.03), 2) : 0;
    this.fundamentalsCache = {
      high52,
      low52,
      peRatio: ref.kind === 'equity' ? this.round(8 + r() * 60, 5) : 0,
      dividendAmount: div,
      dividendYield: div ? this.round((100 * div) / ref.price, 5) : 0,
      dividendDate: div ? `${new Date(this.closeTime + r() * 90 * 86_400_000).toISOString().slice(0, 10)} 00:00:00.0` : ' ',
      htbQuantity: Math.round(r() * 1e8),
      shortable: r() < 0.95,
    };
    return this.fundamentalsCache;
  }

  private round(v: number, digits: number): number {
    const f = 10 ** digits;
    return Math.round(v * f) / f;
  }

  /** The nearest price on the instrument's tick grid. */
  onTick(v: number): number {
    return this.round(Math.round(v / this.ref.tick) * this.ref.tick, this.ref.digits);
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
      case 'future': return intBetween(r, 1, 60);
      case 'option':
      case 'future-option': return intBetween(r, 1, 100);
      default: return 100 * intBetween(r, 1, 12);
    }
  }

  private tradeSize(): number {
    const r = this.rand;
    switch (this.ref.kind) {
      case 'index': return 0;
      case 'forex': return 100_000 * intBetween(r, 1, 20);
      case 'future': return intBetween(r, 1, 12);
      case 'option':
      case 'future-option': return intBetween(r, 1, 25);
      default: return 100 * (r() < 0.85 ? intBetween(r, 1, 5) : intBetween(r, 6, 30));
    }
  }

  /** The quoting increment: options above $3 quote in nickels. */
  private quoteTick(): number {
    return this.ref.kind === 'option' && this.mid >= 3 ? 0.05 : this.ref.tick;
  }

  /** Spread in quoting increments: a tick or two for liquid names, wider for OTC, options and forex pips. */
  private spreadTicks(): number {
    const r = this.rand;
    const u = r();
    switch (this.ref.kind) {
      case 'forex': return intBetween(r, 8, 20);
      case 'future': return u < 0.85 ? 1 : 2;
      case 'option':
      case 'future-option': return intBetween(r, 1, 4);
      default:
        if (this.ref.tick < 0.01) return intBetween(r, 5, 30);
        return u < 0.6 ? 1 : u < 0.9 ? 2 : 3;
    }
  }

  /** An option's model value for an underlying price at `t` (price history prices options with it). */
  modelValue(spot: number, t: number): number {
    const o = this.ref.option!;
    return blackScholes(spot, o.strike, Math.max(0, (o.expiry + 20 * 3_600_000 - t) / YEAR_MS), o.volatility, o.putCall).value;
  }

  /** Option value from the underlying's fair price, as of `now`. */
  private price(now: number): OptionValue {
    const o = this.ref.option!;
    return blackScholes(this.underlyingPrice, o.strike, Math.max(0, (o.expiry + 20 * 3_600_000 - now) / YEAR_MS), o.volatility, o.putCall);
  }

  /** Moves the fair price to `now` (an option reprices from its underlying's). */
  advance(now: number): void {
    if (this.path) this.mid = this.fair(now);
    else if (this.underlying) {
      this.underlying.advance(now);
      this.underlyingPrice = this.underlying.mid;
      this.greeks = this.price(now);
      this.mid = Math.max(this.ref.tick, this.greeks.value);
    }
  }

  /**
   * Sets bid and/or ask around the fair price. The side asked for is requoted; the other one too when
   * the quote no longer brackets the fair price or has grown wider than a few ticks, so the spread
   * stays a tick or a few however far the price has moved since.
   */
  private requote(bidSide: boolean, askSide: boolean): void {
    const qt = this.quoteTick();
    const t = this.ref.tick;
    const spread = qt * this.spreadTicks();
    const bid = Math.max(0, this.toTick(this.mid - spread / 2, 'down'));
    let ask = this.toTick(this.mid + spread / 2, 'up');
    if (ask <= bid) ask = this.round(bid + qt, this.ref.digits);
    const maxSpread = qt * (this.ref.kind === 'forex' ? 30 : this.ref.tick < 0.01 ? 40 : 5);
    const stale = (b: number, a: number) => a <= b || a - b > maxSpread + t / 2 || this.mid < b || this.mid > a;
    const newBid = bidSide ? bid : this.bid;
    const newAsk = askSide ? ask : this.ask;
    const both = stale(newBid, newAsk);
    if (bidSide || both) {
      this.bid = bid;
      this.bidSize = this.quoteSize();
      this.bidVenue = intBetween(this.rand, 0, EQUITY_VENUES.length - 1);
    }
    if (askSide || both) {
      this.ask = ask;
      this.askSize = this.quoteSize();
      this.askVenue = intBetween(this.rand, 0, EQUITY_VENUES.length - 1);
    }
    if (this.ask <= this.bid) this.ask = this.round(this.bid + qt, this.ref.digits);
  }

  /** One market event at `now`. Returns true when it was a trade. */
  step(now: number): boolean {
    this.advance(now);
    const r = this.rand;
    const index = this.ref.kind === 'index';
    if (!index && r() < 0.62) {
      const bidSide = r() < 0.5;
      const before = [this.bid, this.ask];
      if (r() < 0.3) {
        // Size-only change at the same price.
        if (bidSide) this.bidSize = this.quoteSize();
        else this.askSize = this.quoteSize();
        // Unless the fair price has left the quote: then it is requoted.
        if (this.mid < this.bid || this.mid > this.ask) this.requote(bidSide, !bidSide);
      } else this.requote(bidSide, !bidSide);
      this.quoteTime = now;
      if (bidSide || before[0] !== this.bid) this.bidTime = now;
      if (!bidSide || before[1] !== this.ask) this.askTime = now;
      return false;
    }
    if (!index && (this.mid < this.bid || this.mid > this.ask)) this.requote(true, true);
    const u = r();
    const inside = this.ask - this.bid > this.quoteTick() * 1.5 ? this.toTick((this.bid + this.ask) / 2, 'down') : this.bid;
    const price = index ? this.onTick(this.mid) : u < 0.45 ? this.bid : u < 0.9 ? this.ask : inside;
    this.trade(Math.max(this.ref.tick, price), this.tradeSize(), now);
    return true;
  }

  /**
   * Brings an instrument asked for over REST up to `now`: the fair price moves, a quote that no longer
   * brackets it is requoted, and a quiet stock, future or currency trades once (options may stay quiet).
   */
  refresh(now: number): void {
    this.advance(now);
    const index = this.ref.kind === 'index';
    if (!index && (this.mid < this.bid || this.mid > this.ask)) {
      this.requote(true, true);
      this.quoteTime = this.bidTime = this.askTime = now;
    }
    const optionLike = this.ref.option !== undefined;
    if (!optionLike && now - this.tradeTime > STALE_TRADE_MS) {
      const u = this.rand();
      const price = index ? this.onTick(this.mid) : u < 0.5 ? this.bid : this.ask;
      this.trade(Math.max(this.ref.tick, price), this.tradeSize(), now);
    }
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

/**
 * The day's figures of a path-priced instrument at `now`: the previous trading day's close time, and
 * the open, high and low of the session so far (from the regular open, or from the previous close before it), as
 * log-price offsets on its path.
 */
export function dayFigures(path: PricePath, ref: InstrumentRef, now: number): DayFigures {
  const kind = ref.kind === 'option' || ref.kind === 'future-option' ? 'equity' : ref.kind;
  const day = sessionDay(kind, now);
  const closeTime = regularSession(kind, previousTradingDay(day)).end;
  const session = regularSession(kind, day);
  // Before the open the day has no open of its own: it starts from the previous close.
  const from = now < session.start ? closeTime : session.start;
  const to = Math.min(now, session.end);
  const open = path.x(from);
  const span = to > from ? path.range(from, to, 60_000) : { high: open, low: open };
  const current = path.x(now);
  const elapsed = Math.min(1, Math.max(0, (now - session.start) / (session.end - session.start)));
  return { day, closeTime, open, high: Math.max(span.high, current), low: Math.min(span.low, current), elapsed };
}
