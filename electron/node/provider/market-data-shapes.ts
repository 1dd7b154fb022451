/**
 * The parts of REST market-data answers both dialects share (docs/protocol/schwab.md §11.3–11.4,
 * docs/protocol/tdameritrade.md §11.3–11.4): price history candles and market hours. Every answer
 * is checked here, at the edge; a malformed one becomes one ProviderError naming the endpoint.
 */
import * as v from 'valibot';
import type { MarketHours, SessionWindow } from '../../../shared/market-session.js';
import type { Candle, FieldValue } from '../../../shared/market.js';
import type { HoursMarket } from './market-data-types.js';
import { ProviderError } from './types.js';

const Finite = v.pipe(v.number(), v.finite());

const HistorySchema = v.looseObject({
  candles: v.array(v.looseObject({ open: Finite, high: Finite, low: Finite, close: Finite, volume: v.optional(Finite), datetime: Finite })),
});

export function parse<T extends v.GenericSchema>(schema: T, body: unknown, what: string): v.InferOutput<T> {
  const r = v.safeParse(schema, body);
  if (r.success) return r.output;
  const issue = r.issues[0];
  const at = issue.path?.map((p) => String(p.key)).join('.') ?? '';
  throw new ProviderError(`${what}: unexpected answer${at ? ` at ${at.slice(0, 80)}` : ''} (${issue.message.slice(0, 120)})`);
}

export function parseCandles(body: unknown): Candle[] {
  const { candles } = parse(HistorySchema, body, 'price history');
  return candles
    .map((c) => ({ time: c.datetime, open: c.open, high: c.high, low: c.low, close: c.close, volume: c.volume ?? 0 }))
    .sort((a, b) => a.time - b.time);
}

const Window = v.object({ start: v.string(), end: v.string() });
const Windows = v.optional(v.array(Window));
const ProductSchema = v.looseObject({
  date: v.optional(v.string()),
  isOpen: v.boolean(),
  sessionHours: v.optional(v.nullable(v.looseObject({ preMarket: Windows, regularMarket: Windows, postMarket: Windows }))),
});
const HoursSchema = v.record(v.string(), v.record(v.string(), ProductSchema));

function windows(list: v.InferOutput<typeof Window>[] | undefined): SessionWindow[] {
  return (list ?? []).map((w) => {
    const start = Date.parse(w.start);
    const end = Date.parse(w.end);
    if (!Number.isFinite(start) || !Number.isFinite(end) || end <= start) throw new ProviderError(`market hours: a session from '${w.start.slice(0, 40)}' to '${w.end.slice(0, 40)}' is not a time range`);
    return { start, end };
  });
}

/**
 * `{ equity: { EQ: {...} } }` (a closed day: `{ equity: { equity: { isOpen: false } } }`), market
 * keys in either case. The equity product (EQ) when listed, else the market's first product.
 */
export function parseMarketHours(body: unknown, market: HoursMarket, date: string, preferredProduct: string): MarketHours {
  const all = parse(HoursSchema, body, 'market hours');
  const byMarket = Object.entries(all).find(([k]) => k.toLowerCase() === market)?.[1];
  if (!byMarket) throw new ProviderError(`market hours: no ${market} market in the answer`);
  const product = byMarket[preferredProduct] ?? Object.values(byMarket)[0];
  if (!product) throw new ProviderError(`market hours: no ${market} product in the answer`);
  const s = product.sessionHours ?? {};
  return {
    date: product.date?.slice(0, 10) || date,
    isOpen: product.isOpen,
    pre: product.isOpen ? windows(s.preMarket) : [],
    regular: product.isOpen ? windows(s.regularMarket) : [],
    post: product.isOpen ? windows(s.postMarket) : [],
  };
}

/** Copies REST values onto streamer field names: `map` is REST name (first present wins) → field name. */
export function mapFields(source: Record<string, unknown>, map: readonly (readonly [string | readonly string[], string])[]): Record<string, FieldValue> {
  const out: Record<string, FieldValue> = {};
  for (const [from, to] of map) {
    for (const name of typeof from === 'string' ? [from] : from) {
      const value = source[name];
      if ((typeof value === 'number' && Number.isFinite(value)) || typeof value === 'string' || typeof value === 'boolean') {
        out[to] = value;
        break;
      }
    }
  }
  return out;
}

export const isObject = (x: unknown): x is Record<string, unknown> => typeof x === 'object' && x !== null && !Array.isArray(x);
