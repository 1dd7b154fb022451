/**
 * Conditions a user asks the simulator for, so a client can be tried against what the real servers
 * send only at some times or to some accounts: symbols whose level-one items are flagged delayed
 * (an unentitled account's NFL data: docs/protocol/schwab.md §4.4, docs/protocol/tdameritrade.md §4.4), symbols whose trading is halted
 * (SECURITY_STATUS "Halted"; no trades or quote changes while halted), and a market forced open or
 * closed in the market-hours answers instead of the calendar's sessions at the current time.
 */
import { classifySymbol } from '../../../shared/symbols.js';

export const MARKET_OVERRIDES = ['open', 'closed'] as const;
export type MarketOverride = (typeof MARKET_OVERRIDES)[number];

export interface SimConditions {
  /** Symbols (keys as subscribed) whose level-one items carry `delayed: true`. */
  readonly delayed: ReadonlySet<string>;
  /** Symbols whose security status is "Halted" and whose prices stand still. */
  readonly halted: ReadonlySet<string>;
  /** Forces every market-hours answer; undefined follows the calendar and the clock. */
  readonly market: MarketOverride | undefined;
}

export const isMarketOverride = (text: string): text is MarketOverride => (MARKET_OVERRIDES as readonly string[]).includes(text);

export const NO_CONDITIONS: SimConditions = { delayed: new Set(), halted: new Set(), market: undefined };

export function simConditions(opts: { delayed?: readonly string[]; halted?: readonly string[]; market?: MarketOverride }): SimConditions {
  if (opts.market !== undefined && !isMarketOverride(opts.market)) throw new Error(`simulator option market must be ${MARKET_OVERRIDES.join(' or ')}`);
  return { delayed: new Set(opts.delayed ?? []), halted: new Set(opts.halted ?? []), market: opts.market };
}

/**
 * A comma list of symbols, each valid in Schwab's or TD's grammar (the simulator serves both);
 * throws with the reason for the first that is not. Only the ends of each are trimmed: OCC
 * option symbols have inner spaces.
 */
export function parseSymbolList(text: string): string[] {
  const parts = text.split(',').map((s) => s.replace(/^\s+|\s+$/g, '')).filter((s) => s !== '');
  if (parts.length === 0) throw new Error('needs a comma list of symbols, e.g. MSFT,AAPL');
  for (const symbol of parts) {
    const schwab = classifySymbol(symbol, 'schwab');
    if (!schwab.ok && !classifySymbol(symbol, 'tdameritrade').ok) throw new Error(schwab.error);
  }
  return [...new Set(parts)];
}
