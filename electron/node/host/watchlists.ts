/** Watchlists: several, persisted, every symbol validated for its asset type when saved. */
import type { Watchlist } from '../../../shared/api.js';
import type { Dialect } from '../../../shared/protocol/services.js';
import { classifySymbol } from '../../../shared/symbols.js';

export const DEFAULT_WATCHLISTS: Watchlist[] = [
  { id: 'default', name: 'Default', symbols: ['AAPL', 'MSFT', 'GOOG', 'AMZN', 'NVDA', 'TSLA', 'META', 'SPY', 'QQQ', '/ES', '/NQ', '/CL', 'EUR/USD', 'USD/JPY'] },
];

const MAX_LISTS = 50;
const MAX_SYMBOLS = 10_000;

/** Validates untrusted watchlists; throws one readable message naming every bad symbol. */
export function validateWatchlists(raw: unknown, dialect: Dialect): Watchlist[] {
  if (!Array.isArray(raw) || raw.length === 0 || raw.length > MAX_LISTS) throw new Error(`between 1 and ${MAX_LISTS} watchlists are needed`);
  const ids = new Set<string>();
  return raw.map((item: unknown, i) => {
    if (typeof item !== 'object' || item === null) throw new Error(`watchlist ${i + 1} is not an object`);
    const { id, name, symbols } = item as Record<string, unknown>;
    if (typeof id !== 'string' || !/^[\w-]{1,64}$/.test(id) || ids.has(id)) throw new Error(`watchlist ${i + 1} has a missing or duplicate id`);
    ids.add(id);
    if (typeof name !== 'string' || name.trim() === '' || name.length > 64) throw new Error(`watchlist ${i + 1} needs a name of at most 64 characters`);
    if (!Array.isArray(symbols) || symbols.length > MAX_SYMBOLS) throw new Error(`watchlist '${name}' holds at most ${MAX_SYMBOLS} symbols`);
    const seen = new Set<string>();
    const errors: string[] = [];
    for (const s of symbols) {
      if (typeof s !== 'string') {
        errors.push('a symbol is not text');
        continue;
      }
      const check = classifySymbol(s, dialect);
      if (!check.ok) errors.push(check.error);
      else seen.add(check.symbol);
    }
    if (errors.length > 0) throw new Error(`watchlist '${name}': ${errors.slice(0, 5).join('; ')}`);
    return { id, name: name.trim(), symbols: [...seen] };
  });
}

/** Stored lists that no longer validate (e.g. after a dialect change) keep their valid symbols. */
export function watchlistsFrom(raw: unknown, dialect: Dialect): Watchlist[] {
  if (!Array.isArray(raw)) return structuredClone(DEFAULT_WATCHLISTS);
  const lists: Watchlist[] = [];
  for (const item of raw) {
    if (typeof item !== 'object' || item === null) continue;
    const { id, name, symbols } = item as Record<string, unknown>;
    if (typeof id !== 'string' || typeof name !== 'string' || !Array.isArray(symbols)) continue;
    const valid = symbols.filter((s): s is string => typeof s === 'string' && classifySymbol(s, dialect).ok);
    lists.push({ id, name, symbols: valid });
  }
  return lists.length > 0 ? lists : structuredClone(DEFAULT_WATCHLISTS);
}
