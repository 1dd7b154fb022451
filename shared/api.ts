/**
 * The one API contract between the renderer and its host. The Electron preload, the main-process
 * IPC choke point and the `tapedeck serve` WebSocket bridge all carry exactly this: commands are
 * request/response, events are pushed. Everything crossing it is plain serialisable data.
 *
 * Each command has one argument schema and each event one payload schema (valibot). The argument
 * types, the list of names and the runtime check all derive from them: a command's argument is
 * parsed once, at the door (IPC choke point, serve bridge), and the host's handlers trust it.
 */
import * as v from 'valibot';
import type { AboutInfo, AppSnapshot, ExportResult, LoginStart, SettingsView, SymbolDetail } from './api-values.js';
import {
  BarsAppended,
  ExportProgress,
  QuotesBatch,
  SettingsPatch,
  SettingsViewSchema,
  StatusSchema,
  TradesAppended,
  UserMessageSchema,
  WatchlistsSchema,
} from './api-values.js';
import { ChartIntervalSchema } from './chart-interval.js';
import type { AlertRule, AlertsState } from './alerts.js';
import { AlertDraftSchema, AlertFiringSchema, AlertId, AlertsStateSchema } from './alerts.js';
import { ColumnLayoutSchema } from './columns.js';
import type { EngineStatus } from './engine-events.js';
import type { Watchlist } from './watchlist.js';
import { LIMITS, ListId, ListName, SymbolText } from './watchlist.js';

export * from './api-values.js';
export type { Watchlist } from './watchlist.js';

const NoArg = v.pipe(v.nullish(v.null()), v.transform(() => null));
const Time = v.pipe(v.number(), v.finite(), v.minValue(0));
const SymbolList = v.pipe(v.array(SymbolText), v.minLength(1), v.maxLength(LIMITS.symbolsPerEdit));

/** Argument schema of every command. Adding a command here is the whole of declaring it. */
export const COMMAND_ARGS = {
  'app:snapshot': NoArg,
  'app:about': NoArg,
  'watchlist:create': v.strictObject({ name: ListName }),
  'watchlist:rename': v.strictObject({ id: ListId, name: ListName }),
  'watchlist:delete': v.strictObject({ id: ListId }),
  /** The lists' ids in their new order (every id, once). */
  'watchlist:reorder': v.strictObject({ ids: v.pipe(v.array(ListId), v.maxLength(LIMITS.lists)) }),
  'watchlist:add-symbols': v.strictObject({ id: ListId, symbols: SymbolList }),
  'watchlist:remove-symbols': v.strictObject({ id: ListId, symbols: SymbolList }),
  /** The list's grid columns (order, hidden, widths); null goes back to the default layout. */
  'watchlist:set-columns': v.strictObject({ id: ListId, columns: v.nullable(ColumnLayoutSchema) }),
  /** The symbol whose chart, time and sales and book are shown (null: none), and its chart's bar interval (default 1m). */
  'market:focus': v.strictObject({ symbol: v.nullable(SymbolText), interval: v.optional(ChartIntervalSchema) }),
  'settings:get': NoArg,
  'settings:save': SettingsPatch,
  'auth:login': NoArg,
  'auth:logout': NoArg,
  'recording:set': v.strictObject({ on: v.boolean() }),
  'export:database': NoArg,
  'export:csv': v.strictObject({
    table: v.pipe(v.string(), v.regex(/^[a-z0-9_]{1,64}$/, 'choose a table to export')),
    from: v.optional(Time),
    to: v.optional(Time),
    key: v.optional(v.pipe(v.string(), v.maxLength(32))),
  }),
  'db:tables': NoArg,
  /** Alert rules and the recent firings. */
  'alerts:list': NoArg,
  'alerts:create': AlertDraftSchema,
  /** Replaces a rule's settings (the whole draft) and/or switches it on or off; enabling re-arms it. */
  'alerts:update': v.strictObject({ id: AlertId, draft: v.optional(AlertDraftSchema), enabled: v.optional(v.boolean()) }),
  'alerts:delete': v.strictObject({ id: AlertId }),
  /** Forgets the recent firings shown in the app (the database's alerts table keeps them). */
  'alerts:clear-history': NoArg,
} as const;

/** What each command answers. The host is trusted: results are typed, not parsed. */
export interface CommandResults {
  'app:snapshot': AppSnapshot;
  'app:about': AboutInfo;
  'watchlist:create': Watchlist;
  'watchlist:rename': Watchlist;
  'watchlist:delete': Watchlist[];
  'watchlist:reorder': Watchlist[];
  'watchlist:add-symbols': Watchlist;
  'watchlist:remove-symbols': Watchlist;
  'watchlist:set-columns': Watchlist;
  'market:focus': SymbolDetail | null;
  'settings:get': SettingsView;
  'settings:save': SettingsView;
  'auth:login': LoginStart;
  'auth:logout': SettingsView;
  'recording:set': EngineStatus;
  'export:database': ExportResult;
  'export:csv': ExportResult;
  'db:tables': string[];
  'alerts:list': AlertsState;
  'alerts:create': AlertRule;
  'alerts:update': AlertRule;
  'alerts:delete': AlertsState;
  'alerts:clear-history': AlertsState;
}

export type CommandName = keyof typeof COMMAND_ARGS;
export type CommandArg<K extends CommandName> = v.InferOutput<(typeof COMMAND_ARGS)[K]>;
export type CommandResult<K extends CommandName> = CommandResults[K];
export const COMMAND_NAMES = Object.keys(COMMAND_ARGS) as CommandName[];

/** Payload schema of every host → renderer push. */
export const EVENT_PAYLOADS = {
  'engine:status': StatusSchema,
  /** Coalesced: at most one batch per display frame; latest record per (service, key). */
  'engine:quotes': QuotesBatch,
  'engine:message': UserMessageSchema,
  /** The whole list after any change, from any window or browser tab. */
  'watchlists:changed': WatchlistsSchema,
  /** New or updated bars of the focused symbol: a bar with the time of the last one replaces it. */
  'market:bars': BarsAppended,
  /** New trades on the focused symbol's tape, oldest first. */
  'market:trades': TradesAppended,
  'export:progress': ExportProgress,
  'settings:changed': SettingsViewSchema,
  /** An alert fired (evaluated in the host, so also while no window is shown). */
  'alert:fired': AlertFiringSchema,
  /** The rules and recent firings after any change. */
  'alerts:changed': AlertsStateSchema,
} as const;

export type EventName = keyof typeof EVENT_PAYLOADS;
export type Events = { [K in EventName]: v.InferOutput<(typeof EVENT_PAYLOADS)[K]> };
export const EVENT_NAMES = Object.keys(EVENT_PAYLOADS) as EventName[];

/** Every command's handler, as the host implements them. */
export type Handlers = { [K in CommandName]: (arg: CommandArg<K>) => Promise<CommandResult<K>> };

/** What the renderer holds: one typed call and one typed subscription, whatever carries them. */
export interface TapedeckApi {
  invoke<K extends CommandName>(name: K, arg: CommandArg<K>): Promise<CommandResult<K>>;
  on<K extends EventName>(name: K, listener: (payload: Events[K]) => void): () => void;
}

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && Object.hasOwn(COMMAND_ARGS, name);
}

export type ParsedCall = { ok: true; name: CommandName; arg: CommandArg<CommandName> } | { ok: false; error: string };

/** The door: an untrusted (name, argument) pair in, a typed call or one readable refusal out. */
export function parseCall(name: unknown, arg: unknown): ParsedCall {
  if (!isCommandName(name)) return { ok: false, error: `unknown command ${String(name).slice(0, 40)}` };
  const result = v.safeParse(COMMAND_ARGS[name] as v.GenericSchema<unknown, CommandArg<CommandName>>, arg);
  if (result.success) return { ok: true, name, arg: result.output };
  const issue = result.issues[0];
  const path = issue.path?.map((p) => String(p.key)).join('.');
  return { ok: false, error: `invalid argument for ${name}${path ? ` (${path})` : ''}: ${issue.message}` };
}

/** Checks a pushed event against its schema (used by the contract tests on real host traffic). */
export function checkEvent(name: EventName, payload: unknown): string | null {
  const result = v.safeParse(EVENT_PAYLOADS[name] as v.GenericSchema, payload);
  if (result.success) return null;
  const issue = result.issues[0];
  return `${name}${issue.path ? ` at ${issue.path.map((p) => String(p.key)).join('.')}` : ''}: ${issue.message}`;
}
