/** The watchlists a new user starts with, and reading the stored document leniently. */
import type { Watchlist } from '../../../shared/api.js';
import { normalizeLayout } from '../../../shared/columns.js';
import type { Dialect } from '../../../shared/protocol/services.js';
import { classifySymbol } from '../../../shared/symbols.js';
import { LIMITS } from '../../../shared/watchlist.js';

export const DEFAULT_WATCHLISTS: Watchlist[] = [
  { id: 'default', name: 'Default', symbols: ['AAPL', 'MSFT', 'GOOG', 'AMZN', 'NVDA', 'TSLA', 'META', 'SPY', 'QQQ', '/ES', '/NQ', '/CL', 'EUR/USD', 'USD/JPY'] },
];

/** Stored lists keep their valid symbols (e.g. after a dialect change); anything unreadable is skipped. */
export function watchlistsFrom(raw: unknown, dialect: Dialect): Watchlist[] {
  if (!Array.isArray(raw)) return structuredClone(DEFAULT_WATCHLISTS);
  const lists: Watchlist[] = [];
  const ids = new Set<string>();
  for (const item of raw.slice(0, LIMITS.lists)) {
    if (typeof item !== 'object' || item === null) continue;
    const { id, name, symbols, columns } = item as Record<string, unknown>;
    if (typeof id !== 'string' || !/^[\w-]{1,64}$/.test(id) || ids.has(id) || typeof name !== 'string' || !Array.isArray(symbols)) continue;
    ids.add(id);
    const valid = symbols.filter((s): s is string => typeof s === 'string' && classifySymbol(s, dialect).ok).slice(0, LIMITS.symbolsPerList);
    const list: Watchlist = { id, name: name.trim().slice(0, LIMITS.nameLength) || id, symbols: [...new Set(valid)] };
    // A layout that does not read as one is dropped: the grid shows the default columns, nothing breaks.
    const layout = normalizeLayout(columns);
    if (layout) list.columns = layout;
    lists.push(list);
  }
  return lists.length > 0 ? lists : structuredClone(DEFAULT_WATCHLISTS);
}
