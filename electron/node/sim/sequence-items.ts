/**
 * All-Sequence items (each a complete record with `seq`): chart bars (docs/protocol/schwab.md §5.7-5.8 vs
 * docs/protocol/tdameritrade.md §5.6-5.7: the same names, different numbering, mapped through the field tables),
 * time and sales (docs/protocol/tdameritrade.md §5.9), news headlines (§5.10) and account activity (docs/protocol/schwab.md §5.10,
 * docs/protocol/tdameritrade.md §5.13); plus the CHART_HISTORY_FUTURES snapshot (docs/protocol/tdameritrade.md §5.8).
 */
import type { FieldValue } from '../../../shared/market.js';
import type { ServiceSpec } from '../../../shared/protocol/services.js';
import { chartSequence, daysSinceEpoch } from './clock.js';
import type { Bar, Instrument } from './instrument.js';
import type { Item } from './level-one.js';
import { priceHistory } from './price-history.js';
import { intBetween, normal, pick, type Rand } from './prng.js';

/** Copies the subscribed fields of a record (by reference field name) into an item. */
function fill(item: Item, spec: ServiceSpec, fields: ReadonlySet<number>, byName: Readonly<Record<string, FieldValue>>): Item {
  for (const id of fields) {
    const name = spec.fields[id]?.name;
    const v = name === undefined ? undefined : byName[name];
    if (v !== undefined) item[String(id)] = v;
  }
  return item;
}

export function barItem(spec: ServiceSpec, key: string, seq: number, bar: Bar, fields: ReadonlySet<number>): Item {
  return fill({ seq, key }, spec, fields, {
    sequence: chartSequence(bar.start),
    open_price: bar.open,
    high_price: bar.high,
    low_price: bar.low,
    close_price: bar.close,
    volume: bar.volume,
    chart_time: bar.start,
    chart_time_millis: bar.start,
    chart_day: daysSinceEpoch(bar.start),
  });
}

/** A plausible bar for the window before a subscription began, so a chart can draw at once. */
export function syntheticBar(inst: Instrument, r: Rand, start: number): Bar {
  const f = 10 ** inst.ref.digits;
  const round = (v: number) => Math.round(v * f) / f;
  const close = inst.last;
  const open = round(close * (1 + normal(r) * 0.0015));
  return {
    start,
    open,
    high: round(Math.max(open, close) * (1 + r() * 0.001)),
    low: round(Math.min(open, close) * (1 - r() * 0.001)),
    close,
    volume: inst.ref.kind === 'future' ? intBetween(r, 50, 3000) : 100 * intBetween(r, 5, 800),
  };
}

export function timesaleItem(spec: ServiceSpec, key: string, seq: number, inst: Instrument, fields: ReadonlySet<number>): Item {
  return fill({ seq, key }, spec, fields, {
    trade_time: inst.tradeTime,
    last_price: inst.last,
    last_size: inst.lastSize,
    last_sequence: inst.tradeSeq,
  });
}

const HEADLINES = [
  '%s shares active in early trading',
  '%s: analyst raises price target',
  '%s announces quarterly dividend',
  'Options traders eye %s ahead of earnings',
  '%s to present at industry conference',
  '%s files 8-K with the SEC',
];
const SOURCES = ['BENZINGA', 'DJCNEWS', 'BUSINESSWIRE', 'PRNEWSWIRE'];

export function newsItem(spec: ServiceSpec, key: string, seq: number, r: Rand, now: number, fields: ReadonlySet<number>): Item {
  const id = `SN${new Date(now).toISOString().slice(0, 10).replace(/-/g, '')}${String(intBetween(r, 0, 999999)).padStart(6, '0')}`;
  return fill({ seq, key }, spec, fields, {
    error_code: 0,
    story_datetime: now,
    headline_id: id,
    status: 'U',
    headline: pick(r, HEADLINES).replace('%s', key),
    story_id: id,
    count_for_keyword: 2,
    keyword_array: `${key},*ALL*`,
    is_hot: r() < 0.1,
    story_source: pick(r, SOURCES),
  });
}

/** TD's first ACCT_ACTIVITY message, or its ERROR for a wrong key (docs/protocol/tdameritrade.md §5.13). */
export function acctActivityItem(spec: ServiceSpec, key: string, seq: number, account: string, type: 'SUBSCRIBED' | 'ERROR', data: string, fields: ReadonlySet<number>): Item {
  return fill({ seq, key }, spec, fields, { account, message_type: type, message_data: data });
}

const FREQUENCIES: Record<string, { type: 'minute' | 'daily' | 'weekly' | 'monthly'; n: number; ms: number }> = {
  m1: { type: 'minute', n: 1, ms: 60_000 }, m5: { type: 'minute', n: 5, ms: 300_000 }, m10: { type: 'minute', n: 10, ms: 600_000 },
  m30: { type: 'minute', n: 30, ms: 1_800_000 }, h1: { type: 'minute', n: 60, ms: 3_600_000 }, d1: { type: 'daily', n: 1, ms: 86_400_000 },
  w1: { type: 'weekly', n: 1, ms: 604_800_000 }, n1: { type: 'monthly', n: 1, ms: 2_592_000_000 },
};
const PERIOD_MS: Record<string, number> = { d: 86_400_000, w: 604_800_000, n: 2_592_000_000, y: 31_536_000_000 };
const MAX_CANDLES = 2000;

/**
 * CHART_HISTORY_FUTURES GET content: `"0"` echoes the requestid, `"1"` status 0, `"2"` the candle
 * count, `"3"` candles {0 time, 1 open, 2 high, 3 low, 4 close, 5 volume} (docs/protocol/tdameritrade.md §5.8).
 * The candles are the REST price history's (price-history.ts): the same path, ending at the live price.
 * Null when the parameters are not understood.
 */
export function chartHistoryItem(inst: Instrument, symbol: string, requestId: string, params: Record<string, unknown>, now: number): Item | null {
  const freq = FREQUENCIES[String(params.frequency ?? '')];
  if (!freq) return null;
  let from: number;
  let to = now;
  const period = /^([dwny])(\d+)$/.exec(String(params.period ?? ''));
  if (period) from = now - Number(period[2]) * PERIOD_MS[period[1]!]!;
  else if (params.START_TIME !== undefined && params.END_TIME !== undefined) {
    from = Number(params.START_TIME);
    to = Math.min(now, Number(params.END_TIME));
    if (!Number.isFinite(from) || !Number.isFinite(to) || to < from) return null;
  } else return null;
  from = Math.max(from, to - MAX_CANDLES * freq.ms);
  const candles = priceHistory(inst, { periodType: 'day', period: 1, frequencyType: freq.type, frequency: freq.n, startDate: from, endDate: to, extended: true }, now)
    .slice(-MAX_CANDLES)
    .map((c) => ({ '0': c.datetime, '1': c.open, '2': c.high, '3': c.low, '4': c.close, '5': c.volume }));
  return { key: symbol, '0': requestId, '1': 0, '2': candles.length, '3': candles };
}
