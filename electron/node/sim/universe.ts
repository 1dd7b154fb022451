/**
 * The generated listing universe behind actives (docs/protocol/tdameritrade.md §5.11) and screeners (docs/protocol/schwab.md §5.9):
 * the well-known names plus `size` generated tickers, and a candidate set of liquid options. Figures
 * for a symbol nobody streams are estimated from its listing and the clock (cheap, stable per seed);
 * a symbol that is streaming reports its walked instrument's own volume and price.
 */
import { msSinceMidnightEastern } from './clock.js';
import type { Instrument } from './instrument.js';
import { describeSymbol, thirdFriday, type InstrumentRef } from './instrument-ref.js';
import { blackScholes } from './option-pricing.js';
import type { OptionContract } from './option-symbols.js';
import { randFor } from './prng.js';
import { OPTION_UNDERLYINGS, WELL_KNOWN, type ListingCode } from './reference-data.js';
import { syntheticSymbol } from './symbol-names.js';

export interface MoverRow {
  symbol: string;
  description: string;
  listing: ListingCode;
  /** For the window asked for (the whole day when the window is 0). */
  volume: number;
  trades: number;
  /** Shares (or contracts) traded today. */
  dayVolume: number;
  dailyVolume: number;
  last: number;
  close: number;
  option?: OptionContract;
}

interface Member {
  ref: InstrumentRef;
  /** Stable per-symbol draws in [0, 1). */
  a: number;
  b: number;
  avgTradeSize: number;
  close: number;
  option?: OptionContract & { volatility: number };
}

const SESSION_START_MS = 7.5 * 3_600_000;
const SESSION_LENGTH_MS = 12.5 * 3_600_000;
const WEEK_MS = 7 * 86_400_000;

function sessionFraction(now: number): number {
  const t = (msSinceMidnightEastern(now) - SESSION_START_MS) / SESSION_LENGTH_MS;
  return Math.min(1, Math.max(0.05, t));
}

export class Universe {
  readonly symbols: readonly string[];
  private readonly equities: Member[];
  private readonly bySymbol = new Map<string, Member>();
  private readonly options: Member[] = [];

  constructor(
    private readonly seed: number,
    size: number,
    now: number,
  ) {
    const names = [...Object.keys(WELL_KNOWN), ...Array.from({ length: Math.max(0, size) }, (_, i) => syntheticSymbol(i, 'Z'))];
    this.symbols = names;
    this.equities = names.map((s) => this.member(describeSymbol(s, 'schwab', seed, now)!));
    for (const m of this.equities) this.bySymbol.set(m.ref.symbol, m);
    // Liquid options: three expiries and five strikes a side on the usual underlyings.
    const d = new Date(now);
    for (const u of OPTION_UNDERLYINGS) {
      const spot = this.bySymbol.get(u)?.close ?? 100;
      const step = spot > 300 ? 5 : spot > 100 ? 2.5 : 1;
      for (let w = 0; w < 3; w++) {
        const expiry = w === 2 ? thirdFriday(d.getUTCFullYear(), d.getUTCMonth() + 1) : Date.UTC(d.getUTCFullYear(), d.getUTCMonth(), d.getUTCDate() + ((5 - d.getUTCDay() + 7) % 7)) + w * WEEK_MS;
        for (let k = -2; k <= 2; k++) {
          for (const putCall of ['C', 'P'] as const) {
            const strike = Math.round(spot / step + k) * step;
            const r = randFor(seed, `movers-option:${u}:${expiry}:${strike}:${putCall}`);
            const contract = { underlying: u, expiry, strike, putCall, volatility: 0.2 + r() * 0.3 };
            const ref: InstrumentRef = {
              symbol: `${u}:${expiry}:${strike}:${putCall}`, kind: 'option', description: '', price: 0, tick: 0.01, digits: 2, multiplier: 100,
              dailyVolume: Math.round(2000 + r() * 150000), listing: 'Q', cusip: '', subType: null, dailyVol: 0, pathName: '',
            };
            this.options.push({ ...this.member(ref), option: contract });
          }
        }
      }
    }
  }

  private member(ref: InstrumentRef): Member {
    const r = randFor(this.seed, `universe:${ref.symbol}`);
    return { ref, a: r(), b: r(), avgTradeSize: 60 + Math.floor(r() * 340), close: ref.price * (1 + (r() - 0.5) * 0.02) };
  }

  /** Estimated figures for one member at `now`, or the live ones of a streaming instrument. */
  private row(m: Member, windowSec: number, now: number, live: Instrument | undefined, lastPrice: (m: Member) => number): MoverRow {
    const frac = sessionFraction(now);
    // Each symbol's share of the tape drifts slowly, so rankings change through the day.
    const drift = 1 + 0.35 * Math.sin(now / 97_000 + m.a * 40);
    const dayVolume = live?.volume ?? Math.round(m.ref.dailyVolume * frac * (0.5 + m.a) * drift);
    const windowMs = windowSec * 1000;
    const volume = windowSec === 0 ? dayVolume : Math.round((m.ref.dailyVolume * Math.min(windowMs, frac * SESSION_LENGTH_MS) * (0.4 + m.b) * drift) / SESSION_LENGTH_MS);
    const avg = m.option ? 4 + Math.floor(m.b * 20) : m.avgTradeSize;
    return {
      symbol: m.ref.symbol, description: m.ref.description, listing: m.ref.listing, volume, trades: Math.max(1, Math.round(volume / avg)),
      dayVolume, dailyVolume: m.ref.dailyVolume, last: live?.last ?? lastPrice(m), close: live?.close ?? m.close,
    };
  }

  /** Equities listed on the given exchanges (all of them when `listings` is null). */
  equityRows(listings: readonly ListingCode[] | null, windowSec: number, now: number, peek: (symbol: string) => Instrument | undefined): MoverRow[] {
    const rows: MoverRow[] = [];
    const last = (m: Member) => Math.round(m.close * (1 + 0.025 * Math.sin(now / 611_000 + m.b * 50) * (m.a - 0.3)) * 100) / 100;
    for (const m of this.equities) if (!listings || listings.includes(m.ref.listing)) rows.push(this.row(m, windowSec, now, peek(m.ref.symbol), last));
    return rows;
  }

  /** Candidate options of one side (or both), priced from their underlying. */
  optionRows(side: 'C' | 'P' | null, windowSec: number, now: number, peek: (symbol: string) => Instrument | undefined): MoverRow[] {
    const rows: MoverRow[] = [];
    for (const m of this.options) {
      const o = m.option!;
      if (side && o.putCall !== side) continue;
      const spot = peek(o.underlying)?.mid ?? this.bySymbol.get(o.underlying)?.close ?? 100;
      const price = (s: number) => Math.max(0.01, Math.round(blackScholes(s, o.strike, Math.max(0, o.expiry - now) / (365 * 86_400_000), o.volatility, o.putCall).value * 100) / 100);
      const row = this.row(m, windowSec, now, undefined, () => price(spot));
      row.close = price(spot * (1 + (m.a - 0.5) * 0.03));
      row.option = { underlying: o.underlying, expiry: o.expiry, strike: o.strike, putCall: o.putCall };
      rows.push(row);
    }
    return rows;
  }
}
