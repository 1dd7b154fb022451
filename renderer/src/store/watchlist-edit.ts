/** Reading what a user typed into the add-symbol box: checked here for instant feedback, again by the host. */
import type { Dialect } from '../../../shared/protocol/services.js';
import { classifySymbol } from '../../../shared/symbols.js';

export type ParsedSymbols = { ok: true; symbols: string[] } | { ok: false; error: string };

/** Symbols separated by commas, spaces-around-commas or new lines; each must be valid in the dialect. */
export function parseSymbolInput(text: string, have: readonly string[], dialect: Dialect): ParsedSymbols {
  const wanted = text.split(/[,\n]/).map((s) => s.trim()).filter(Boolean);
  if (wanted.length === 0) return { ok: false, error: 'Type a symbol, e.g. AAPL, /ES or EUR/USD' };
  const symbols: string[] = [];
  for (const w of wanted) {
    const c = classifySymbol(w, dialect);
    if (!c.ok) return { ok: false, error: c.error };
    if (have.includes(c.symbol) || symbols.includes(c.symbol)) return { ok: false, error: `${c.symbol} is already in this watchlist` };
    symbols.push(c.symbol);
  }
  return { ok: true, symbols };
}
