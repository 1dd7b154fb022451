/**
 * The service registry: every streamed service of both dialects, with its delivery type, payload
 * structure and field table. Codec, recorder, simulator and renderer all read this one table.
 * Facts come from docs/protocol/schwab.md and docs/protocol/tdameritrade.md (delivery types: §4.4 / §4.6).
 */
import type { FieldDef, FieldRow } from './field-types.js';
import * as sw from './fields.schwab.js';
import * as td from './fields.tdameritrade.js';

export type Dialect = 'schwab' | 'tdameritrade';

/** change: level-one deltas to merge; sequence: complete records with seq; whole: full replacement. */
export type Delivery = 'change' | 'sequence' | 'whole' | 'snapshot';

/** flat: numbered scalar fields; the others carry a nested payload decoded into a structure. */
export type Structure = 'flat' | 'book' | 'actives' | 'screener' | 'chart-history';

/** What kind of key the service takes; drives symbol validation and the simulator's generator. */
export type KeyKind =
  | 'equity'
  | 'option'
  | 'future'
  | 'future-option'
  | 'forex'
  | 'actives'
  | 'screener'
  | 'account';

export interface ServiceSpec {
  readonly name: string;
  readonly dialect: Dialect;
  readonly delivery: Delivery;
  readonly structure: Structure;
  readonly keyKind: KeyKind;
  /** Field definitions indexed by wire number (sparse); field 0 (the key) is never listed. */
  readonly fields: readonly FieldDef[];
  /** Field numbers a client requests when it wants everything (always includes 0). */
  readonly allFieldIds: readonly number[];
  /** The service is listed by the reference but the real server answers code 11 (not available). */
  readonly unavailable?: boolean;
}

function spec(
  dialect: Dialect,
  name: string,
  delivery: Delivery,
  structure: Structure,
  keyKind: KeyKind,
  rows: readonly FieldRow[],
  extra: { unavailable?: boolean; skipInAll?: readonly number[] } = {},
): ServiceSpec {
  const fields: FieldDef[] = [];
  for (const [id, fieldName, type] of rows) fields[id] = { id, name: fieldName, type };
  const skip = new Set(extra.skipInAll ?? []);
  const allFieldIds = [0, ...rows.map(([id]) => id).filter((id) => !skip.has(id))];
  return { name, dialect, delivery, structure, keyKind, fields, allFieldIds, unavailable: extra.unavailable };
}

/** TD ACTIVES_*: field 1 is one ';'/':'-separated string (docs/protocol/tdameritrade.md §5.11). */
const TD_ACTIVES: readonly FieldRow[] = [[1, 'actives', 'string']];
/** TOTAL_VIEW: one undocumented capture only (docs/protocol/tdameritrade.md §5.12, last paragraph). */
const TD_TOTAL_VIEW: readonly FieldRow[] = [
  [1, 'count', 'integer'],
  [2, 'levels', 'string'],
];
/** CHART_HISTORY_FUTURES snapshot content (docs/protocol/tdameritrade.md §5.8). */
const TD_CHART_HISTORY: readonly FieldRow[] = [
  [0, 'request_id', 'string'],
  [1, 'status', 'integer'],
  [2, 'count', 'integer'],
  [3, 'candles', 'json'],
];

const TD_SERVICES: ServiceSpec[] = [
  spec('tdameritrade', 'QUOTE', 'change', 'flat', 'equity', td.TD_QUOTE),
  spec('tdameritrade', 'OPTION', 'change', 'flat', 'option', td.TD_OPTION),
  spec('tdameritrade', 'LEVELONE_FUTURES', 'change', 'flat', 'future', td.TD_LEVELONE_FUTURES),
  // The documented layout (docs/protocol/tdameritrade.md §5.4): identical to LEVELONE_FUTURES.
  spec('tdameritrade', 'LEVELONE_FUTURES_OPTIONS', 'change', 'flat', 'future-option', td.TD_LEVELONE_FUTURES),
  // Field 17 carries garbage on the wire; tda-api leaves it out of "all fields" (docs/protocol/tdameritrade.md §5.5, §9).
  spec('tdameritrade', 'LEVELONE_FOREX', 'change', 'flat', 'forex', td.TD_LEVELONE_FOREX, { skipInAll: [17] }),
  spec('tdameritrade', 'CHART_EQUITY', 'sequence', 'flat', 'equity', td.TD_CHART_EQUITY),
  spec('tdameritrade', 'CHART_FUTURES', 'sequence', 'flat', 'future', td.TD_CHART_FUTURES),
  spec('tdameritrade', 'CHART_OPTIONS', 'sequence', 'flat', 'option', td.TD_CHART_FUTURES, { unavailable: true }),
  spec('tdameritrade', 'CHART_HISTORY_FUTURES', 'snapshot', 'chart-history', 'future', TD_CHART_HISTORY),
  spec('tdameritrade', 'TIMESALE_EQUITY', 'sequence', 'flat', 'equity', td.TD_TIMESALE),
  spec('tdameritrade', 'TIMESALE_FUTURES', 'sequence', 'flat', 'future', td.TD_TIMESALE),
  spec('tdameritrade', 'TIMESALE_OPTIONS', 'sequence', 'flat', 'option', td.TD_TIMESALE),
  spec('tdameritrade', 'TIMESALE_FOREX', 'sequence', 'flat', 'forex', td.TD_TIMESALE, { unavailable: true }),
  spec('tdameritrade', 'NEWS_HEADLINE', 'sequence', 'flat', 'equity', td.TD_NEWS_HEADLINE),
  spec('tdameritrade', 'ACTIVES_NASDAQ', 'whole', 'actives', 'actives', TD_ACTIVES),
  spec('tdameritrade', 'ACTIVES_NYSE', 'whole', 'actives', 'actives', TD_ACTIVES),
  spec('tdameritrade', 'ACTIVES_OTCBB', 'whole', 'actives', 'actives', TD_ACTIVES),
  spec('tdameritrade', 'ACTIVES_OPTIONS', 'whole', 'actives', 'actives', TD_ACTIVES),
  spec('tdameritrade', 'LISTED_BOOK', 'whole', 'book', 'equity', td.TD_BOOK),
  spec('tdameritrade', 'NASDAQ_BOOK', 'whole', 'book', 'equity', td.TD_BOOK),
  spec('tdameritrade', 'OPTIONS_BOOK', 'whole', 'book', 'option', td.TD_BOOK),
  spec('tdameritrade', 'FUTURES_BOOK', 'whole', 'book', 'future', td.TD_BOOK, { unavailable: true }),
  spec('tdameritrade', 'FOREX_BOOK', 'whole', 'book', 'forex', td.TD_BOOK, { unavailable: true }),
  spec('tdameritrade', 'FUTURES_OPTIONS_BOOK', 'whole', 'book', 'future-option', td.TD_BOOK, { unavailable: true }),
  spec('tdameritrade', 'TOTAL_VIEW', 'whole', 'flat', 'equity', TD_TOTAL_VIEW, { unavailable: true }),
  spec('tdameritrade', 'ACCT_ACTIVITY', 'sequence', 'flat', 'account', td.TD_ACCT_ACTIVITY),
];

const SCHWAB_SERVICES: ServiceSpec[] = [
  spec('schwab', 'LEVELONE_EQUITIES', 'change', 'flat', 'equity', sw.SCHWAB_LEVELONE_EQUITIES),
  spec('schwab', 'LEVELONE_OPTIONS', 'change', 'flat', 'option', sw.SCHWAB_LEVELONE_OPTIONS),
  spec('schwab', 'LEVELONE_FUTURES', 'change', 'flat', 'future', sw.SCHWAB_LEVELONE_FUTURES),
  spec('schwab', 'LEVELONE_FUTURES_OPTIONS', 'change', 'flat', 'future-option', sw.SCHWAB_LEVELONE_FUTURES_OPTIONS),
  spec('schwab', 'LEVELONE_FOREX', 'change', 'flat', 'forex', sw.SCHWAB_LEVELONE_FOREX),
  spec('schwab', 'NYSE_BOOK', 'whole', 'book', 'equity', sw.SCHWAB_BOOK),
  spec('schwab', 'NASDAQ_BOOK', 'whole', 'book', 'equity', sw.SCHWAB_BOOK),
  spec('schwab', 'OPTIONS_BOOK', 'whole', 'book', 'option', sw.SCHWAB_BOOK),
  spec('schwab', 'CHART_EQUITY', 'sequence', 'flat', 'equity', sw.SCHWAB_CHART_EQUITY),
  spec('schwab', 'CHART_FUTURES', 'sequence', 'flat', 'future', sw.SCHWAB_CHART_FUTURES),
  spec('schwab', 'SCREENER_EQUITY', 'whole', 'screener', 'screener', sw.SCHWAB_SCREENER),
  spec('schwab', 'SCREENER_OPTION', 'whole', 'screener', 'screener', sw.SCHWAB_SCREENER),
  spec('schwab', 'ACCT_ACTIVITY', 'sequence', 'flat', 'account', sw.SCHWAB_ACCT_ACTIVITY),
];

const REGISTRY: Record<Dialect, ReadonlyMap<string, ServiceSpec>> = {
  schwab: new Map(SCHWAB_SERVICES.map((s) => [s.name, s])),
  tdameritrade: new Map(TD_SERVICES.map((s) => [s.name, s])),
};

export function serviceSpec(dialect: Dialect, name: string): ServiceSpec | undefined {
  return REGISTRY[dialect].get(name);
}

export function servicesOf(dialect: Dialect): readonly ServiceSpec[] {
  return [...REGISTRY[dialect].values()];
}

/** Every service of both dialects (a service name may appear twice, once per dialect). */
export function allServices(): readonly ServiceSpec[] {
  return [...SCHWAB_SERVICES, ...TD_SERVICES];
}

/** Table name for a service per the database contract: the wire name in lower case. */
export function tableName(service: string): string {
  return service.toLowerCase();
}
