/** The values that cross the API besides watchlists: settings, status, detail series, exports. */
import * as v from 'valibot';
import { StatusSchema, type QuoteRecord } from './engine-events.js';
import { ChartIntervalSchema, type ChartInterval } from './chart-interval.js';
import type { Candle } from './market.js';
import { TimeZoneSettingSchema } from './time-zone.js';
import { WatchlistSchema } from './watchlist.js';

export { StatusSchema };

export const PROVIDER_NAMES = ['demo', 'schwab', 'tdameritrade'] as const;
export const SECRET_STORAGE = ['encrypted', 'file', 'memory'] as const;
export type SecretStorage = (typeof SECRET_STORAGE)[number];
export const ProviderNameSchema = v.picklist(PROVIDER_NAMES, 'the provider is demo, schwab or tdameritrade');
export type ProviderName = v.InferOutput<typeof ProviderNameSchema>;

const Url = v.pipe(v.string(), v.maxLength(2048));
const Nullable = <T extends v.GenericSchema>(s: T) => v.nullable(s);

export const BrokerSettingsViewSchema = v.object({
  /** The app key shown masked (first and last 4 characters). */
  appKeyMasked: v.string(),
  hasAppSecret: v.boolean(),
  callbackUrl: v.string(),
  apiBase: v.string(),
  authBase: v.string(),
  loggedIn: v.boolean(),
  /** When the refresh token runs out and a new browser login is needed (ms epoch), if known. */
  refreshExpiresAt: Nullable(v.number()),
});
export type BrokerSettingsView = v.InferOutput<typeof BrokerSettingsViewSchema>;

/** How the recording is kept on disk (the recorder's StoragePolicy). */
export const StorageSettingsSchema = v.object({
  /** 'daily': a file per trading day (New York), named with its date. */
  rotate: v.picklist(['none', 'daily']),
  /** Data older than this many days is removed; null keeps everything. */
  retainDays: Nullable(v.pipe(v.number(), v.integer(), v.minValue(1), v.maxValue(36_500))),
  /** Recording pauses while the disk has less free space than this (MB); 0: never. */
  minFreeMb: v.pipe(v.number(), v.integer(), v.minValue(0), v.maxValue(10_000_000)),
  /** One typed row per update (default); false keeps the frame archive and the latest values only. */
  typedRows: v.boolean(),
});
export type StorageSettings = v.InferOutput<typeof StorageSettingsSchema>;

export const SettingsViewSchema = v.object({
  provider: ProviderNameSchema,
  schwab: BrokerSettingsViewSchema,
  tdameritrade: BrokerSettingsViewSchema,
  /** Record from launch: the status bar's recording toggle, remembered. */
  recording: v.boolean(),
  dbPath: v.string(),
  storage: StorageSettingsSchema,
  /**
   * How saved credentials are kept: encrypted by the OS keychain (the app), a file only the user can
   * read (browser mode: plain Node has no keychain), or memory only (no real protection available).
   */
  secretStorage: v.picklist(SECRET_STORAGE),
  /** A PEM file of extra certificate authorities to trust ('' = only the built-in ones and NODE_EXTRA_CA_CERTS). */
  caFile: v.string(),
  /** Which zone times are shown and typed in: exchange time (New York) or the local zone. */
  timeZone: TimeZoneSettingSchema,
  /** Shipping the recording to PostgreSQL: on/off and the URL with its password masked ('' when none is saved). */
  sink: v.object({ enabled: v.boolean(), url: v.string() }),
});
export type SettingsView = v.InferOutput<typeof SettingsViewSchema>;

const BrokerSettingsPatch = v.strictObject({
  appKey: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(256))),
  appSecret: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(256))),
  callbackUrl: v.optional(Url),
  apiBase: v.optional(Url),
  authBase: v.optional(Url),
});
export type BrokerSettingsPatch = v.InferOutput<typeof BrokerSettingsPatch>;

export const SettingsPatch = v.strictObject({
  provider: v.optional(ProviderNameSchema),
  schwab: v.optional(BrokerSettingsPatch),
  tdameritrade: v.optional(BrokerSettingsPatch),
  caFile: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(4096))),
  storage: v.optional(StorageSettingsSchema),
  timeZone: v.optional(TimeZoneSettingSchema),
  /**
   * The PostgreSQL sink: `url` replaces the saved URL ('' forgets it), checked by the host as a
   * postgres:// URL before anything is saved; `enabled` switches shipping on or off.
   */
  sink: v.optional(v.strictObject({ enabled: v.optional(v.boolean()), url: v.optional(v.pipe(v.string(), v.trim(), v.maxLength(2048, 'the PostgreSQL URL is too long'))) })),
});
export type SettingsPatch = v.InferOutput<typeof SettingsPatch>;

export const CandleSchema = v.object({
  time: v.number(),
  open: v.number(),
  high: v.number(),
  low: v.number(),
  close: v.number(),
  volume: v.number(),
}) satisfies v.GenericSchema<Candle>;

/** One trade on the tape: TIMESALE items on the TD dialect, derived from level-one trade fields on Schwab. */
export const TradeSchema = v.object({
  time: v.number(),
  price: v.number(),
  size: v.number(),
  /** Where the trade printed against the quote: at/above ask, at/below bid, or between. */
  side: v.nullable(v.picklist(['buy', 'sell', 'mid'])),
});
export type Trade = v.InferOutput<typeof TradeSchema>;

/** The focused symbol's series when it is focused; after that only appends travel (market:bars/trades). */
export interface SymbolDetail {
  symbol: string;
  interval: ChartInterval;
  /** Price history (REST) followed by the live bars, aggregated to the interval. */
  bars: Candle[];
  /** How many of `bars` came from the provider's price history alone (none when it could not be fetched). */
  historyBars: number;
  trades: Trade[];
}

/** Bars of the focused symbol at its chart's interval (a push in flight across an interval change is told apart by it). */
export const BarsAppended = v.object({ symbol: v.string(), interval: ChartIntervalSchema, bars: v.array(CandleSchema) });
export const TradesAppended = v.object({ symbol: v.string(), trades: v.array(TradeSchema) });

export const UserMessageSchema = v.object({
  level: v.picklist(['info', 'warning', 'error']),
  text: v.string(),
  at: v.number(),
});
export type UserMessage = v.InferOutput<typeof UserMessageSchema>;

const isQuoteRecord = (r: unknown): r is QuoteRecord =>
  typeof r === 'object' && r !== null && typeof (r as QuoteRecord).service === 'string' && typeof (r as QuoteRecord).key === 'string'
  && typeof (r as QuoteRecord).ts === 'number' && typeof (r as QuoteRecord).fields === 'object';
/** Quote records are checked for shape only: their fields are the protocol's (shared/protocol). */
export const QuotesBatch = v.object({
  records: v.array(v.custom<QuoteRecord>(isQuoteRecord, 'a quote record needs service, key, ts and fields')),
  publishedAt: v.number(),
  oldestReceivedAt: v.number(),
});

export const WatchlistsSchema = v.array(WatchlistSchema);
export const ExportProgress = v.object({ fraction: v.pipe(v.number(), v.minValue(0), v.maxValue(1)), done: v.boolean() });

export interface AboutInfo {
  name: string;
  version: string;
  versions: Record<string, string>;
  dbPath: string;
  userDataPath: string;
}

export interface AppSnapshot {
  status: v.InferOutput<typeof StatusSchema>;
  settings: SettingsView;
  watchlists: v.InferOutput<typeof WatchlistsSchema>;
  quotes: QuoteRecord[];
}

export type LoginStart = { kind: 'window' } | { kind: 'browser'; url: string } | { kind: 'none'; reason: string };

export interface ExportResult {
  ok: boolean;
  /** Where the file was written, or the download URL in browser mode. */
  location: string | null;
  rows?: number;
  message: string;
}
