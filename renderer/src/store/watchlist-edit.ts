/** Watchlist edits as pure functions: validated with the shared symbol grammar, nothing lost on a bad input. */
import type { Watchlist } from '../../../shared/api.js';
import type { Dialect } from '../../../shared/protocol/services.js';
import { classifySymbol } from '../../../shared/symbols.js';

export type EditResult = { ok: true; lists: Watchlist[] } | { ok: false; error: string };

export function addSymbols(lists: Watchlist[], listId: string, text: string, dialect: Dialect): EditResult {
  const list = lists.find((l) => l.id === listId);
  if (!list) return { ok: false, error: 'No watchlist selected' };
  const wanted = text.split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
  if (wanted.length === 0) return { ok: false, error: 'Type a symbol, e.g. AAPL, /ES or EUR/USD' };
  const added: string[] = [];
  for (const w of wanted) {
    const c = classifySymbol(w, dialect);
    if (!c.ok) return { ok: false, error: c.error };
    if (list.symbols.includes(c.symbol) || added.includes(c.symbol)) return { ok: false, error: `${c.symbol} is already in ${list.name}` };
    added.push(c.symbol);
  }
  return { ok: true, lists: lists.map((l) => (l.id === listId ? { ...l, symbols: [...l.symbols, ...added] } : l)) };
}

export function removeSymbol(lists: Watchlist[], listId: string, symbol: string): Watchlist[] {
  return lists.map((l) => (l.id === listId ? { ...l, symbols: l.symbols.filter((s) => s !== symbol) } : l));
}

export function createList(lists: Watchlist[], name: string): EditResult & { id?: string } {
  const clean = name.trim();
  if (clean === '' || clean.length > 64) return { ok: false, error: 'A watchlist needs a name of at most 64 characters' };
  if (lists.some((l) => l.name === clean)) return { ok: false, error: `There is already a watchlist called ${clean}` };
  let id = clean.toLowerCase().replace(/[^\w-]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'list';
  while (lists.some((l) => l.id === id)) id += '-2';
  return { ok: true, lists: [...lists, { id, name: clean, symbols: [] }], id };
}

export function renameList(lists: Watchlist[], listId: string, name: string): EditResult {
  const clean = name.trim();
  if (clean === '' || clean.length > 64) return { ok: false, error: 'A watchlist needs a name of at most 64 characters' };
  return { ok: true, lists: lists.map((l) => (l.id === listId ? { ...l, name: clean } : l)) };
}

export function deleteList(lists: Watchlist[], listId: string): EditResult {
  if (lists.length <= 1) return { ok: false, error: 'The last watchlist cannot be deleted' };
  return { ok: true, lists: lists.filter((l) => l.id !== listId) };
}
