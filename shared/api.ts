/**
 * The one API contract between the renderer and its host. The Electron preload, the main-process
 * IPC handlers and the `tapedeck serve` WebSocket bridge all implement exactly this: commands are
 * request/response, events are pushed. Everything crossing it is plain serialisable data.
 */
import type { EngineStatus, QuoteRecord } from './engine-events.js';
import type { Candle } from './market.js';

export type ProviderName = 'demo' | 'schwab' | 'tdameritrade';

export interface Watchlist {
  id: string;
  name: string;
  symbols: string[];
}

export interface BrokerSettingsView {
  /** The app key shown masked (first and last 4 characters). */
  appKeyMasked: string;
  hasAppSecret: boolean;
  callbackUrl: string;
  apiBase: string;
  authBase: string;
  loggedIn: boolean;
  /** When the refresh token runs out and a new browser login is needed (ms epoch), if known. */
  refreshExpiresAt: number | null;
}

export interface SettingsView {
  provider: ProviderName;
  schwab: BrokerSettingsView;
  tdameritrade: BrokerSettingsView;
  recording: boolean;
  dbPath: string;
  /** False where tokens cannot be encrypted at rest: they are then kept in memory only. */
  secureStorage: boolean;
}

export interface BrokerSettingsPatch {
  appKey?: string;
  appSecret?: string;
  callbackUrl?: string;
  apiBase?: string;
  authBase?: string;
}

export interface SettingsPatch {
  provider?: ProviderName;
  schwab?: BrokerSettingsPatch;
  tdameritrade?: BrokerSettingsPatch;
}

/** One trade on the tape: TIMESALE items on the TD dialect, derived from level-one trade fields on Schwab. */
export interface Trade {
  time: number;
  price: number;
  size: number;
  /** Where the trade printed against the quote: at/above ask, at/below bid, or between. */
  side: 'buy' | 'sell' | 'mid' | null;
}

export interface SymbolDetail {
  symbol: string;
  bars: Candle[];
  trades: Trade[];
}

export interface AboutInfo {
  name: string;
  version: string;
  versions: Record<string, string>;
  dbPath: string;
  userDataPath: string;
}

export interface AppSnapshot {
  status: EngineStatus;
  settings: SettingsView;
  watchlists: Watchlist[];
  activeWatchlistId: string;
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

export interface CsvExportRequest {
  table: string;
  from?: number;
  to?: number;
  key?: string;
}

/** Request/response commands: name → (argument) → result. */
export interface Commands {
  'app:snapshot': (arg: null) => AppSnapshot;
  'app:about': (arg: null) => AboutInfo;
  'watchlists:save': (arg: { watchlists: Watchlist[]; activeWatchlistId: string }) => Watchlist[];
  /** The symbol whose chart, time and sales and book are shown (null: none). */
  'market:focus': (arg: { symbol: string | null }) => SymbolDetail | null;
  'settings:get': (arg: null) => SettingsView;
  'settings:save': (arg: SettingsPatch) => SettingsView;
  'auth:login': (arg: null) => LoginStart;
  'auth:logout': (arg: null) => SettingsView;
  'recording:set': (arg: { on: boolean }) => EngineStatus;
  'export:database': (arg: null) => ExportResult;
  'export:csv': (arg: CsvExportRequest) => ExportResult;
  'db:tables': (arg: null) => string[];
}

export type CommandName = keyof Commands;
export type CommandArg<K extends CommandName> = Parameters<Commands[K]>[0];
export type CommandResult<K extends CommandName> = ReturnType<Commands[K]>;

export interface UserMessage {
  level: 'info' | 'warning' | 'error';
  text: string;
  at: number;
}

/** Host → renderer pushes. */
export interface Events {
  'engine:status': EngineStatus;
  /** Coalesced: at most one batch per display frame; latest record per (service, key). */
  'engine:quotes': { records: QuoteRecord[]; publishedAt: number; oldestReceivedAt: number };
  'engine:message': UserMessage;
  'market:detail': SymbolDetail;
  'export:progress': { fraction: number; done: boolean };
  'settings:changed': SettingsView;
}

export type EventName = keyof Events;

/** What the renderer holds: one typed call and one typed subscription, whatever carries them. */
export interface TapedeckApi {
  invoke<K extends CommandName>(name: K, arg: CommandArg<K>): Promise<CommandResult<K>>;
  on<K extends EventName>(name: K, listener: (payload: Events[K]) => void): () => void;
}

/** The complete, ordered list of command and event names: the contract test checks every bridge against it. */
export const COMMAND_NAMES = [
  'app:snapshot',
  'app:about',
  'watchlists:save',
  'market:focus',
  'settings:get',
  'settings:save',
  'auth:login',
  'auth:logout',
  'recording:set',
  'export:database',
  'export:csv',
  'db:tables',
] as const satisfies readonly CommandName[];

export const EVENT_NAMES = [
  'engine:status',
  'engine:quotes',
  'engine:message',
  'market:detail',
  'export:progress',
  'settings:changed',
] as const satisfies readonly EventName[];

/** Compile-time check that the name lists cover the interfaces exactly. */
type Missing<T extends string, L extends readonly string[]> = Exclude<T, L[number]>;
export const CONTRACT_COMPLETE: [Missing<CommandName, typeof COMMAND_NAMES>, Missing<EventName, typeof EVENT_NAMES>] extends [never, never]
  ? true
  : never = true;
