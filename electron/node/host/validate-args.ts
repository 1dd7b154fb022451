/**
 * Validation of every command argument at the edge (Electron IPC and the browser bridge alike):
 * arguments arrive as `unknown` from a renderer and leave as the contract's types, or are refused.
 */
import { COMMAND_NAMES, type CommandArg, type CommandName } from '../../../shared/api.js';

type Validator<K extends CommandName> = (arg: unknown) => CommandArg<K>;

function fail(what: string): never {
  throw new Error(`invalid argument: ${what}`);
}

const isObject = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
const none = (arg: unknown): null => (arg === null || arg === undefined ? null : fail('this command takes no argument'));
const optString = (v: unknown, what: string, max = 2048): string | undefined =>
  v === undefined ? undefined : typeof v === 'string' && v.length <= max ? v : fail(`${what} must be text of at most ${max} characters`);
const optTime = (v: unknown, what: string): number | undefined =>
  v === undefined || v === null ? undefined : typeof v === 'number' && Number.isFinite(v) && v >= 0 ? v : fail(`${what} must be a time`);

function brokerPatch(v: unknown, what: string) {
  if (v === undefined) return undefined;
  if (!isObject(v)) fail(`${what} must be an object`);
  return {
    appKey: optString(v.appKey, `${what}.appKey`, 256),
    appSecret: optString(v.appSecret, `${what}.appSecret`, 256),
    callbackUrl: optString(v.callbackUrl, `${what}.callbackUrl`),
    apiBase: optString(v.apiBase, `${what}.apiBase`),
    authBase: optString(v.authBase, `${what}.authBase`),
  };
}

export const ARG_VALIDATORS: { [K in CommandName]: Validator<K> } = {
  'app:snapshot': none,
  'app:about': none,
  'watchlists:save': (arg) => {
    if (!isObject(arg) || !Array.isArray(arg.watchlists) || typeof arg.activeWatchlistId !== 'string') fail('expected {watchlists, activeWatchlistId}');
    // Deep checks (ids, names, every symbol's grammar) happen in the host, which knows the dialect.
    return { watchlists: arg.watchlists as CommandArg<'watchlists:save'>['watchlists'], activeWatchlistId: arg.activeWatchlistId };
  },
  'market:focus': (arg) => {
    if (!isObject(arg) || !(arg.symbol === null || (typeof arg.symbol === 'string' && arg.symbol.length <= 32))) fail('expected {symbol}');
    return { symbol: arg.symbol as string | null };
  },
  'settings:get': none,
  'settings:save': (arg) => {
    if (!isObject(arg)) fail('expected a settings object');
    const provider = arg.provider;
    if (provider !== undefined && provider !== 'demo' && provider !== 'schwab' && provider !== 'tdameritrade') fail('unknown provider');
    return { provider, schwab: brokerPatch(arg.schwab, 'schwab'), tdameritrade: brokerPatch(arg.tdameritrade, 'tdameritrade') };
  },
  'auth:login': none,
  'auth:logout': none,
  'recording:set': (arg) => {
    if (!isObject(arg) || typeof arg.on !== 'boolean') fail('expected {on: boolean}');
    return { on: arg.on };
  },
  'export:database': none,
  'export:csv': (arg) => {
    if (!isObject(arg) || typeof arg.table !== 'string' || !/^[a-z0-9_]{1,64}$/.test(arg.table)) fail('expected {table}');
    return { table: arg.table, from: optTime(arg.from, 'from'), to: optTime(arg.to, 'to'), key: optString(arg.key, 'key', 32) };
  },
  'db:tables': none,
};

const KNOWN = new Set<string>(COMMAND_NAMES);

export function isCommandName(name: unknown): name is CommandName {
  return typeof name === 'string' && KNOWN.has(name);
}

export function validateArg<K extends CommandName>(name: K, arg: unknown): CommandArg<K> {
  return (ARG_VALIDATORS[name] as Validator<K>)(arg);
}
