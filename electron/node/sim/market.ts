/**
 * One simulated market: instruments created on first use from the seed and the symbol (so the same
 * seed and subscriptions give the same values), the listing universe, and the bar length.
 * The simulator keeps one market per logged-in user, so a reconnect continues the same walk.
 * The user's conditions (conditions.ts) say which symbols are delayed or halted.
 */
import type { Dialect } from '../../../shared/protocol/services.js';
import { NO_CONDITIONS, type SimConditions } from './conditions.js';
import { Instrument } from './instrument.js';
import { describeSymbol } from './instrument-ref.js';
import type { Universe } from './universe.js';

export class Market {
  private readonly instruments = new Map<string, Instrument | null>();
  private readonly halted = new WeakSet<Instrument>();

  constructor(
    readonly seed: number,
    readonly barMs: number,
    readonly universe: Universe,
    readonly conditions: SimConditions = NO_CONDITIONS,
  ) {}

  /** A halted instrument's trading stands still: no trades, no quote changes. */
  isHalted(inst: Instrument): boolean {
    return this.halted.has(inst);
  }

  /** Whether level-one items for this key are flagged delayed. */
  isDelayed(symbol: string): boolean {
    return this.conditions.delayed.has(symbol);
  }

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
    if (inst && this.conditions.halted.has(symbol)) this.halted.add(inst);
    this.instruments.set(cacheKey, inst);
    return inst ?? undefined;
  }

  /** An existing instrument only (movers lists must not create 500 instruments). */
  peek(symbol: string, dialect: Dialect): Instrument | undefined {
    return this.instruments.get(`${dialect}\u0000${symbol}`) ?? undefined;
  }
}
