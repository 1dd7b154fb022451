/**
 * Turns `--symbols` and `--services` into streamer subscriptions: each symbol goes to the services
 * that take its kind of key; services keyed by something else (actives, screener) get a default key.
 */
import { serviceSpec, servicesOf, type Dialect } from '../../../shared/protocol/services.js';
import { classifySymbol, levelOneService, type SymbolKind } from '../../../shared/symbols.js';
import type { SubscriptionRequest } from '../engine/engine.js';
import { UsageError } from './errors.js';

/** The tutorial's defaults (seed/td-ameritrade-streaming-tutorial.txt): AAPL, MSFT, GOOG and /ES. */
export const DEFAULT_SYMBOLS = ['AAPL', 'MSFT', 'GOOG', '/ES'];

const DEFAULT_KEYS: Record<string, string> = {
  ACTIVES_NASDAQ: 'NASDAQ-60',
  ACTIVES_NYSE: 'NYSE-60',
  ACTIVES_OTCBB: 'OTCBB-60',
  ACTIVES_OPTIONS: 'OPTS-DESC-60',
  SCREENER_EQUITY: 'NASDAQ_VOLUME_0',
  SCREENER_OPTION: 'OPTION_ALL_VOLUME_0',
  ACCT_ACTIVITY: 'Account Activity',
};

export function planSubscriptions(dialect: Dialect, symbols: string[], services: string[]): SubscriptionRequest[] {
  const classified: { symbol: string; kind: SymbolKind }[] = [];
  const errors: string[] = [];
  for (const s of symbols) {
    const check = classifySymbol(s, dialect);
    if (check.ok) classified.push({ symbol: check.symbol, kind: check.kind });
    else errors.push(check.error);
  }
  if (errors.length > 0) throw new UsageError(`--symbols: ${errors.join('; ')}`);

  if (services.length === 0) {
    const byService = new Map<string, string[]>();
    for (const { symbol, kind } of classified) {
      const service = levelOneService(kind, dialect);
      byService.set(service, [...(byService.get(service) ?? []), symbol]);
    }
    return [...byService].map(([service, keys]) => ({ service, keys }));
  }

  return services.map((raw) => {
    const name = raw.toUpperCase();
    const spec = serviceSpec(dialect, name);
    if (!spec) {
      const known = servicesOf(dialect).filter((s) => !s.unavailable && s.delivery !== 'snapshot').map((s) => s.name);
      throw new UsageError(`--services: ${raw} is not a ${dialect} streaming service (one of ${known.join(', ')})`);
    }
    const fallback = DEFAULT_KEYS[name];
    if (spec.keyKind === 'account' && dialect === 'tdameritrade') {
      throw new UsageError('ACCT_ACTIVITY on tdameritrade needs the streamer subscription key and is not supported by record');
    }
    if (fallback && (spec.keyKind === 'actives' || spec.keyKind === 'screener' || spec.keyKind === 'account')) {
      return { service: name, keys: [fallback] };
    }
    const keys = classified.filter((c) => c.kind === spec.keyKind).map((c) => c.symbol);
    if (keys.length === 0) {
      throw new UsageError(`--services: ${name} takes ${spec.keyKind} symbols, and none of ${symbols.join(',')} is one`);
    }
    return { service: name, keys };
  });
}
