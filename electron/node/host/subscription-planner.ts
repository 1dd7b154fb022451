/**
 * What the app should be subscribed to, and how to get there from what it is: pure functions,
 * no engine, no I/O. Level one for every watchlist symbol, the movers panel, and the detail
 * services (chart, book, tape) of the focused symbol only.
 */
import type { Dialect } from '../../../shared/protocol/services.js';
import { detailRoutes, levelOneRoute, moversRoute, type Route } from '../../../shared/routing.js';

/** service → keys */
export type SubscriptionSet = Map<string, Set<string>>;

export interface PlanInput {
  symbols: readonly string[];
  focus: string | null;
  dialect: Dialect;
}

export interface SubscriptionChange {
  service: string;
  keys: string[];
}

export interface SubscriptionDiff {
  subscribe: SubscriptionChange[];
  unsubscribe: SubscriptionChange[];
}

function add(set: SubscriptionSet, route: Route | null): void {
  if (!route) return;
  const keys = set.get(route.service) ?? new Set<string>();
  keys.add(route.key);
  set.set(route.service, keys);
}

export function planSubscriptions({ symbols, focus, dialect }: PlanInput): SubscriptionSet {
  const wanted: SubscriptionSet = new Map();
  for (const symbol of symbols) add(wanted, levelOneRoute(symbol, dialect));
  add(wanted, moversRoute(dialect));
  if (focus) {
    const d = detailRoutes(focus, dialect);
    add(wanted, d.chart);
    add(wanted, d.book);
    add(wanted, d.timesale);
  }
  return wanted;
}

/** The unsubscribes and subscribes that turn `current` into `wanted` (services in a stable order). */
export function diffSubscriptions(current: SubscriptionSet, wanted: SubscriptionSet): SubscriptionDiff {
  const unsubscribe: SubscriptionChange[] = [];
  const subscribe: SubscriptionChange[] = [];
  for (const [service, keys] of current) {
    const keep = wanted.get(service);
    const drop = [...keys].filter((k) => !keep?.has(k));
    if (drop.length > 0) unsubscribe.push({ service, keys: drop });
  }
  for (const [service, keys] of wanted) {
    const have = current.get(service);
    const add = [...keys].filter((k) => !have?.has(k));
    if (add.length > 0) subscribe.push({ service, keys: add });
  }
  return { subscribe, unsubscribe };
}
