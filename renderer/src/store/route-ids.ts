/** Store ids of a symbol's streams, from the shared routing (shared/routing.ts). */
import type { Dialect } from '../../../shared/protocol/services.js';
import { levelOneRoute, routeId, type Route } from '../../../shared/routing.js';

/** The id of a symbol's level-one record; a symbol invalid in the dialect gets an id nothing is stored under. */
export function levelOneId(symbol: string, dialect: Dialect): string {
  return idOf(levelOneRoute(symbol, dialect)) ?? routeId('', symbol);
}

export const idOf = (route: Route | null): string | null => (route ? routeId(route.service, route.key) : null);
