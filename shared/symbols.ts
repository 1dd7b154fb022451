/**
 * Symbol grammar per asset type and dialect (docs/protocol/schwab.md §6, docs/protocol/tdameritrade.md §6), shared by the CLI,
 * the engine and the renderer's watchlist editor so a wrong symbol is caught where it is typed.
 */
import type { Dialect, KeyKind } from './protocol/services.js';

export type SymbolKind = Extract<KeyKind, 'equity' | 'option' | 'future' | 'future-option' | 'forex'>;

const FOREX = /^[A-Z]{3}\/[A-Z]{3}$/;
const FUTURE = /^\/[A-Z0-9]{1,4}(?:[FGHJKMNQUVXZ]\d{1,2})?$/;
const FUTURE_OPTION = /^\.\/[A-Z0-9]{1,5}[FGHJKMNQUVXZ]\d{1,2}[CP]\d+(?:\.\d+)?$/;
/** OCC form: root padded to 6, YYMMDD, C/P, strike × 1000 in 8 digits (docs/protocol/schwab.md §6). */
const SCHWAB_OPTION = /^[A-Z0-9][A-Z0-9 ]{5}\d{6}[CP]\d{8}$/;
/** TD form: UNDERLYING_MMDDYY{C|P}STRIKE (docs/protocol/tdameritrade.md §6). */
const TD_OPTION = /^[A-Z0-9]{1,6}_\d{6}[CP]\d+(?:\.\d+)?$/;
/** Tickers, $indices, class shares (BRK/B, BRK.B), TD preferreds (PREpA), warrants (BOO/WS). */
const EQUITY = /^\$?[A-Z][A-Z0-9]{0,9}(?:[./-][A-Z0-9]{1,4})?(?:p[A-Z]{0,2})?(?:\.X)?$/;

export type SymbolCheck = { ok: true; symbol: string; kind: SymbolKind } | { ok: false; error: string };

export function classifySymbol(input: string, dialect: Dialect): SymbolCheck {
  // OCC option symbols contain meaningful inner spaces; only the ends are trimmed.
  const symbol = input.replace(/^\s+|\s+$/g, '');
  if (symbol === '') return { ok: false, error: 'empty symbol' };
  if (symbol.length > 32) return { ok: false, error: `'${symbol.slice(0, 32)}…' is too long for a symbol` };
  if (FOREX.test(symbol)) return { ok: true, symbol, kind: 'forex' };
  if (FUTURE_OPTION.test(symbol)) return { ok: true, symbol, kind: 'future-option' };
  if (FUTURE.test(symbol)) return { ok: true, symbol, kind: 'future' };
  if ((dialect === 'schwab' ? SCHWAB_OPTION : TD_OPTION).test(symbol)) return { ok: true, symbol, kind: 'option' };
  if (EQUITY.test(symbol)) return { ok: true, symbol, kind: 'equity' };
  if (symbol !== symbol.toUpperCase() && classifySymbol(symbol.toUpperCase(), dialect).ok) {
    return { ok: false, error: `'${symbol}' is not a symbol: symbols are upper case (${symbol.toUpperCase()})` };
  }
  const hint =
    dialect === 'schwab'
      ? 'e.g. AAPL, $SPX, /ES, /ESZ24, ./OZCZ23C565, EUR/USD, or a 21-character option "AAPL  251219C00200000"'
      : 'e.g. AAPL, $SPX.X, /ES, /ESM20, ./ESZ3P990, EUR/USD, or an option AAPL_011720C300';
  return { ok: false, error: `'${symbol}' is not a valid symbol (${hint})` };
}

/** The level-one service that carries quotes for a kind of symbol in a dialect. */
export function levelOneService(kind: SymbolKind, dialect: Dialect): string {
  const schwab: Record<SymbolKind, string> = {
    equity: 'LEVELONE_EQUITIES',
    option: 'LEVELONE_OPTIONS',
    future: 'LEVELONE_FUTURES',
    'future-option': 'LEVELONE_FUTURES_OPTIONS',
    forex: 'LEVELONE_FOREX',
  };
  const td: Record<SymbolKind, string> = { ...schwab, equity: 'QUOTE', option: 'OPTION' };
  return (dialect === 'schwab' ? schwab : td)[kind];
}
