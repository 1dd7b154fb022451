/**
 * What the app subscribes: level one for every watchlist symbol, the movers panel, and the detail
 * services (chart, book, time and sales) of the focused symbol only.
 */
import type { Watchlist } from '../../../shared/api.js';
import type { Dialect } from '../../../shared/protocol/services.js';
import { classifySymbol, levelOneService } from '../../../shared/symbols.js';
import type { SubscriptionRequest } from '../engine/engine.js';

export function movers(dialect: Dialect): SubscriptionRequest {
  return dialect === 'schwab'
    ? { service: 'SCREENER_EQUITY', keys: ['NASDAQ_VOLUME_0'] }
    : { service: 'ACTIVES_NASDAQ', keys: ['NASDAQ-60'] };
}

export function levelOneTargets(watchlists: Watchlist[], dialect: Dialect): Map<string, Set<string>> {
  const out = new Map<string, Set<string>>();
  for (const list of watchlists) {
    for (const symbol of list.symbols) {
      const c = classifySymbol(symbol, dialect);
      if (!c.ok) continue;
      const service = levelOneService(c.kind, dialect);
      const set = out.get(service) ?? new Set<string>();
      set.add(c.symbol);
      out.set(service, set);
    }
  }
  return out;
}

export function detailTargets(symbol: string, dialect: Dialect): SubscriptionRequest[] {
  const c = classifySymbol(symbol, dialect);
  if (!c.ok) return [];
  const keys = [c.symbol];
  switch (c.kind) {
    case 'equity':
      return dialect === 'schwab'
        ? [{ service: 'CHART_EQUITY', keys }, { service: 'NASDAQ_BOOK', keys }]
        : [{ service: 'CHART_EQUITY', keys }, { service: 'NASDAQ_BOOK', keys }, { service: 'TIMESALE_EQUITY', keys }];
    case 'future':
      return dialect === 'schwab' ? [{ service: 'CHART_FUTURES', keys }] : [{ service: 'CHART_FUTURES', keys }, { service: 'TIMESALE_FUTURES', keys }];
    case 'option':
      return [{ service: 'OPTIONS_BOOK', keys }];
    default:
      return [];
  }
}
