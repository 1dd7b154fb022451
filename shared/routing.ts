/**
 * Symbol → stream routing, the one place that knows which service carries what for a symbol:
 * the host subscribes by it and the renderer looks records up by it, so the two cannot disagree.
 * Service names and key grammar: docs/protocol/schwab.md §5–6 and docs/protocol/tdameritrade.md §5–6.
 */
import type { Dialect } from './protocol/services.js';
import { classifySymbol, levelOneService, type SymbolKind } from './symbols.js';

/** One stream: a service and the key whose records it carries. */
export interface Route {
  service: string;
  key: string;
}

/** The id a (service, key) record is stored under in the renderer's quote store. */
export const routeId = (service: string, key: string): string => `${service}\u0000${key}`;

/** The level-one stream of a symbol, or null when the symbol is not valid in the dialect. */
export function levelOneRoute(symbol: string, dialect: Dialect): Route | null {
  const c = classifySymbol(symbol, dialect);
  return c.ok ? { service: levelOneService(c.kind, dialect), key: c.symbol } : null;
}

/** What a detail view shows for a symbol: bars, the book and (TD only) the tape service. */
export interface DetailRoutes {
  chart: Route | null;
  book: Route | null;
  /** Schwab has no TIMESALE service: there the tape is derived from level-one trades. */
  timesale: Route | null;
}

const CHART: Partial<Record<SymbolKind, string>> = { equity: 'CHART_EQUITY', future: 'CHART_FUTURES' };
const BOOK: Partial<Record<SymbolKind, string>> = { equity: 'NASDAQ_BOOK', option: 'OPTIONS_BOOK' };
const TIMESALE: Partial<Record<SymbolKind, string>> = { equity: 'TIMESALE_EQUITY', future: 'TIMESALE_FUTURES' };

export function detailRoutes(symbol: string, dialect: Dialect): DetailRoutes {
  const c = classifySymbol(symbol, dialect);
  if (!c.ok) return { chart: null, book: null, timesale: null };
  const at = (service: string | undefined): Route | null => (service ? { service, key: c.symbol } : null);
  return {
    chart: at(CHART[c.kind]),
    book: at(BOOK[c.kind]),
    timesale: dialect === 'tdameritrade' ? at(TIMESALE[c.kind]) : null,
  };
}

/** The movers panel's stream: Schwab's equity screener or TD's NASDAQ actives. */
export function moversRoute(dialect: Dialect): Route & { title: string } {
  return dialect === 'schwab'
    ? { service: 'SCREENER_EQUITY', key: 'NASDAQ_VOLUME_0', title: 'NASDAQ — most active by volume' }
    : { service: 'ACTIVES_NASDAQ', key: 'NASDAQ-60', title: 'NASDAQ — most active, last 60 minutes' };
}
