/**
 * One simulated market: instruments created on first use from the seed and the symbol (so the same
 * seed and subscriptions give the same values), the listing universe, and the bar length.
 * The simulator keeps one market per logged-in user, so a reconnect continues the same walk.
 */
import type { Dialect } from '../../../shared/protocol/services.js';
import { Instrument } from './instrument.js';
import { describeSymbol } from './instrument-ref.js';
import type { Universe } from './universe.js';

export class Market {
  private readonly instruments = new Map<string, Instrument | null>();

  constructor(
    readonly seed: number,
    readonly barMs: number,
    readonly universe: Universe,
  ) {}

  /** The instrument for a well-formed symbol, created on first use; undefined for a malformed one. */
  instrument(symbol: string, dialect: Dialect, now: number): Instrument | undefined {
    const cacheKey = `${dialect}\u0000${symbol}`;
    const cached = this.instruments.get(cacheKey);
    if (cached !== undefined) return cached ?? undefined;
    let inst: Instrument | null = null;
    const ref = describeSymbol(symbol, dialect, this.seed, now);
    if (ref) {
      const underlying = ref.option ? this.instrument(ref.option.underlying, dialect, now) : undefined;
      if (!ref.option || underlying) inst = new Instrument(ref, this.seed, now, this.barMs, underlying ?? null);
    }
    this.instruments.set(cacheKey, inst);
    return inst ?? undefined;
  }

  /** An existing instrument only (movers lists must not create 500 instruments). */
  peek(symbol: string, dialect: Dialect): Instrument | undefined {
    return this.instruments.get(`${dialect}\u0000${symbol}`) ?? undefined;
  }
}
