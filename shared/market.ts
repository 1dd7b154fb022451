/**
 * Decoded market data as every consumer sees it (recorder, merged state, publisher, renderer).
 * Field names are the reference field names in snake_case (see shared/protocol/services.ts).
 */
export type FieldValue = number | string | boolean | null;

/** Per-item attributes that are not numbered fields (protocol references section 4.4). */
export interface ItemMeta {
  delayed?: boolean;
  assetMainType?: string;
  assetSubType?: string;
  cusip?: string;
  seq?: number;
}

export interface BookEntry {
  /** Exchange code or market-maker id, case as sent. */
  venue: string;
  size: number;
  /** Quote time as sent (ms since midnight, exchange-local per the references). */
  time: number | null;
}

export interface BookLevel {
  price: number;
  /** Aggregate size at the level. */
  size: number;
  /** Number of participants at the level. */
  count: number;
  entries: BookEntry[];
}

export interface Book {
  bookTime: number | null;
  bids: BookLevel[];
  asks: BookLevel[];
}

export interface ActivesEntry {
  symbol: string;
  /** Option actives carry a description; stock actives do not. */
  description: string | null;
  volume: number;
  percent: number;
}

export interface ActivesGroup {
  groupId: number;
  total: number;
  entries: ActivesEntry[];
}

export interface Actives {
  id: string;
  sampleDuration: number;
  startTime: string;
  displayTime: string;
  groups: ActivesGroup[];
}

export interface ScreenerItem {
  symbol: string;
  description: string | null;
  lastPrice: number | null;
  netChange: number | null;
  netPercentChange: number | null;
  marketShare: number | null;
  totalVolume: number | null;
  volume: number | null;
  trades: number | null;
}

export interface Candle {
  time: number;
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
}

/** One content item of a data (or snapshot) entry: one update for one key, as received. */
export interface MarketUpdate {
  service: string;
  key: string;
  /** Server time of the data entry, ms epoch. */
  ts: number;
  /** Flat scalar fields present in this update only (a delta for change-delivery services). */
  fields: Record<string, FieldValue>;
  meta: ItemMeta;
  book?: Book;
  actives?: Actives;
  screener?: ScreenerItem[];
  candles?: Candle[];
}

/** A `response` entry: the answer to one request. */
export interface StreamResponse {
  service: string;
  command: string;
  requestId: string;
  ts: number;
  code: number;
  msg: string;
}

/** A non-heartbeat `notify` entry (code 12, 17, 30 ...). */
export interface StreamNotice {
  service: string;
  ts: number;
  code: number;
  msg: string;
}

export type FrameProblemKind =
  | 'malformed-json'
  | 'repaired-json'
  | 'unknown-service'
  | 'unknown-field'
  | 'bad-item'
  | 'unexpected-shape'
  /** Longer than the decoder's limit: archived, not decoded. */
  | 'too-large'
  /** A field value nested past the decoder's limit: left out of the update. */
  | 'too-deep'
  /** Lone surrogates in decoded strings, replaced by U+FFFD so they can be stored as UTF-8. */
  | 'invalid-text'
  /** The decoder itself failed on the frame (a bug, reported instead of thrown). */
  | 'decode-failed';

export interface FrameProblem {
  kind: FrameProblemKind;
  detail: string;
  service?: string;
}

export interface DecodedFrame {
  updates: MarketUpdate[];
  responses: StreamResponse[];
  notices: StreamNotice[];
  /** Server time of the last heartbeat in the frame, or null when it had none. */
  heartbeat: number | null;
  problems: FrameProblem[];
}
