/**
 * Movers lists built from the universe: TD's ACTIVES_* string (docs/protocol/tdameritrade.md §5.11) and Schwab's
 * SCREENER_* items (docs/protocol/schwab.md §5.9).
 */
import type { Dialect } from '../../../shared/protocol/services.js';
import { easternClock } from './clock.js';
import type { Instrument } from './instrument.js';
import type { Item } from './level-one.js';
import { moversOptionDescription, optionSymbol } from './option-symbols.js';
import type { ListingCode } from './reference-data.js';
import type { MoverRow, Universe } from './universe.js';

type Peek = (symbol: string) => Instrument | undefined;

const ACTIVES_VENUES: Record<string, readonly string[]> = {
  ACTIVES_NASDAQ: ['NASDAQ'],
  ACTIVES_NYSE: ['NYSE'],
  ACTIVES_OTCBB: ['OTCBB'],
  ACTIVES_OPTIONS: ['OPTS', 'CALLS', 'PUTS', 'OPTS-DESC', 'CALLS-DESC', 'PUTS-DESC'],
};
const DURATIONS = new Set(['ALL', '3600', '1800', '600', '300', '60']);
const STOCK_LISTINGS: Record<string, readonly ListingCode[]> = { NASDAQ: ['Q'], NYSE: ['N', 'P', 'A'], OTCBB: ['U'] };
const TOP = 10;

/** VENUE and window of an actives key such as NASDAQ-60 or OPTS-DESC-ALL; null when malformed. */
export function parseActivesKey(service: string, key: string): { venue: string; windowSec: number } | null {
  const dash = key.lastIndexOf('-');
  const venue = key.slice(0, dash);
  const duration = key.slice(dash + 1);
  if (dash <= 0 || !ACTIVES_VENUES[service]?.includes(venue) || !DURATIONS.has(duration)) return null;
  return { venue, windowSec: duration === 'ALL' ? 0 : Number(duration) };
}

const percent = (v: number, total: number) => String(Math.round((10000 * v) / (total || 1)) / 100);

function top(rows: MoverRow[], by: 'trades' | 'volume'): MoverRow[] {
  return [...rows].sort((a, b) => b[by] - a[by] || (a.symbol < b.symbol ? -1 : 1)).slice(0, TOP);
}

/**
 * Field 1 of an ACTIVES_* item: `ID;sampleDuration;startTime;displayTime;2;` then group 0 (most
 * trades) and group 1 (most shares), each `groupId:numEntries:total:` followed by SYMBOL:volume:percent
 * triplets (options: SYMBOL:description:volume:percent). No trailing ';', as in the 2020 captures.
 */
export function activesString(service: string, key: string, id: number, now: number, universe: Universe, peek: Peek): string | null {
  const parsed = parseActivesKey(service, key);
  if (!parsed) return null;
  const options = service === 'ACTIVES_OPTIONS';
  const side = parsed.venue.startsWith('CALLS') ? 'C' : parsed.venue.startsWith('PUTS') ? 'P' : null;
  const rows = options ? universe.optionRows(side, parsed.windowSec, now, peek) : universe.equityRows(STOCK_LISTINGS[parsed.venue]!, parsed.windowSec, now, peek);
  const group = (gid: number, by: 'trades' | 'volume') => {
    const total = rows.reduce((s, r) => s + r[by], 0);
    const entries = top(rows, by).map((r) =>
      options ? `${optionSymbol(r.option!, 'tdameritrade')}:${moversOptionDescription(r.option!, 'tdameritrade')}:${r[by]}:${percent(r[by], total)}` : `${r.symbol}:${r[by]}:${percent(r[by], total)}`,
    );
    return [`${gid}:${entries.length}:${total}`, ...entries].join(':');
  };
  const start = Math.floor(now / 60_000) * 60_000 - parsed.windowSec * 1000;
  const descriptor = [id, parsed.windowSec, easternClock(start, false), easternClock(now, true), 2].join(';');
  return `${descriptor};${group(0, 'trades')};${group(1, 'volume')}`;
}

const SORT_FIELDS = ['VOLUME', 'TRADES', 'PERCENT_CHANGE_UP', 'PERCENT_CHANGE_DOWN', 'AVERAGE_PERCENT_VOLUME'] as const;
type SortField = (typeof SORT_FIELDS)[number];
const EQUITY_PREFIXES: Record<string, readonly ListingCode[] | null> = {
  $COMPX: ['Q'], NASDAQ: ['Q'], NYSE: ['N', 'P', 'A'], OTCBB: ['U'], $DJI: ['N', 'Q'], $SPX: ['N', 'Q', 'P'], INDEX_ALL: null, EQUITY_ALL: null,
};
const OPTION_PREFIXES: Record<string, 'C' | 'P' | null> = { OPTION_PUT: 'P', OPTION_CALL: 'C', OPTION_ALL: null };

/** PREFIX_SORTFIELD_FREQUENCY (docs/protocol/schwab.md §5.9); null when malformed. */
export function parseScreenerKey(service: string, key: string): { prefix: string; sortField: SortField; frequency: number } | null {
  const m = /^(.+)_(VOLUME|TRADES|PERCENT_CHANGE_UP|PERCENT_CHANGE_DOWN|AVERAGE_PERCENT_VOLUME)_(0|1|5|10|30|60)$/.exec(key);
  if (!m) return null;
  const prefix = m[1]!.replace(/\.X$/, '');
  const known = service === 'SCREENER_OPTION' ? prefix in OPTION_PREFIXES : prefix in EQUITY_PREFIXES;
  return known ? { prefix, sortField: m[2] as SortField, frequency: Number(m[3]) } : null;
}

/** The ten rows of a screener list: Schwab's SCREENER_* items and its REST movers alike. */
export function screenerRows(service: string, parsed: { prefix: string; sortField: SortField; frequency: number }, now: number, universe: Universe, peek: Peek, dialect: Dialect): Record<string, unknown>[] {
  const windowSec = parsed.frequency * 60;
  const rows = service === 'SCREENER_OPTION'
    ? universe.optionRows(OPTION_PREFIXES[parsed.prefix]!, windowSec, now, peek)
    : universe.equityRows(EQUITY_PREFIXES[parsed.prefix]!, windowSec, now, peek);
  const change = (r: MoverRow) => (r.close ? (r.last - r.close) / r.close : 0);
  const score: Record<SortField, (r: MoverRow) => number> = {
    VOLUME: (r) => r.volume,
    TRADES: (r) => r.trades,
    PERCENT_CHANGE_UP: change,
    PERCENT_CHANGE_DOWN: (r) => -change(r),
    AVERAGE_PERCENT_VOLUME: (r) => r.volume / (r.dailyVolume || 1),
  };
  const by = score[parsed.sortField];
  const windowTotal = rows.reduce((s, r) => s + r.volume, 0) || 1;
  const dayTotal = rows.reduce((s, r) => s + r.dayVolume, 0);
  return [...rows].sort((a, b) => by(b) - by(a) || (a.symbol < b.symbol ? -1 : 1)).slice(0, TOP).map((r) => ({
    symbol: r.option ? optionSymbol(r.option, dialect) : r.symbol,
    description: r.option ? moversOptionDescription(r.option, dialect) : r.description,
    lastPrice: r.last,
    netChange: Math.round((r.last - r.close) * 10000) / 10000,
    // A ratio, not ×100 (docs/protocol/schwab.md §5.9, obs).
    netPercentChange: Math.round(change(r) * 1e8) / 1e8,
    marketShare: Math.round((1e8 * r.volume) / windowTotal) / 1e6,
    totalVolume: dayTotal,
    volume: r.volume,
    trades: r.trades,
  }));
}

export function screenerItem(service: string, key: string, now: number, universe: Universe, peek: Peek, dialect: Dialect, fields: ReadonlySet<number>): Item | null {
  const parsed = parseScreenerKey(service, key);
  if (!parsed) return null;
  const items = screenerRows(service, parsed, now, universe, peek, dialect);
  const item: Item = { key };
  if (fields.has(1)) item['1'] = now;
  if (fields.has(2)) item['2'] = parsed.sortField;
  if (fields.has(3)) item['3'] = parsed.frequency;
  if (fields.has(4)) item['4'] = items;
  return item;
}

/** Schwab's REST movers indices (docs/protocol/schwab.md §11.5) and the screener each reads. */
export function schwabMovers(index: string, sort: string, frequency: number, now: number, universe: Universe, peek: Peek): Record<string, unknown>[] | null {
  const prefix = index.replace(/\.X$/, '');
  const option = prefix in OPTION_PREFIXES;
  if (!option && !(prefix in EQUITY_PREFIXES)) return null;
  if (!(SORT_FIELDS as readonly string[]).includes(sort) || ![0, 1, 5, 10, 30, 60].includes(frequency)) return null;
  return screenerRows(option ? 'SCREENER_OPTION' : 'SCREENER_EQUITY', { prefix, sortField: sort as SortField, frequency }, now, universe, peek, 'schwab');
}

const TD_MOVER_INDICES: Record<string, readonly ListingCode[]> = { $COMPX: ['Q'], $DJI: ['N', 'Q'], '$SPX.X': ['N', 'Q', 'P'] };

/** TD's movers (docs/protocol/tdameritrade.md §11.5): the ten biggest movers of an index in one direction, by percent or value. */
export function tdMovers(index: string, direction: 'up' | 'down', change: 'percent' | 'value', now: number, universe: Universe, peek: Peek): Record<string, unknown>[] | null {
  const listings = TD_MOVER_INDICES[index];
  if (!listings) return null;
  const rows = universe.equityRows(listings, 0, now, peek);
  const move = (r: MoverRow) => (change === 'percent' ? (r.close ? (r.last - r.close) / r.close : 0) : r.last - r.close);
  const sign = direction === 'up' ? 1 : -1;
  return rows
    .filter((r) => sign * move(r) > 0)
    .sort((a, b) => sign * (move(b) - move(a)) || (a.symbol < b.symbol ? -1 : 1))
    .slice(0, TOP)
    .map((r) => ({ change: Math.round(move(r) * 1e6) / 1e6, description: r.description, direction, last: r.last, symbol: r.symbol, totalVolume: r.dayVolume }));
}
