/**
 * The equity market's session at a moment, from one day's market hours (the provider's REST market
 * hours): pre-market, regular, post-market or closed. Pure, so the host and tests can ask "what
 * session is it at t" with any clock.
 */
import * as v from 'valibot';

export const MARKET_SESSIONS = ['pre', 'regular', 'post', 'closed'] as const;
export const MarketSessionSchema = v.picklist(MARKET_SESSIONS);
export type MarketSession = (typeof MARKET_SESSIONS)[number];

/** A session window, ms epoch, end exclusive. */
export interface SessionWindow {
  start: number;
  end: number;
}

/** One market's hours on one New York date. A closed day has no windows. */
export interface MarketHours {
  /** yyyy-MM-dd, New York. */
  date: string;
  isOpen: boolean;
  pre: SessionWindow[];
  regular: SessionWindow[];
  post: SessionWindow[];
}

export interface SessionAt {
  session: MarketSession;
  /** When the session next changes on that day (ms epoch), or null when nothing more happens that day. */
  until: number | null;
}

export function sessionAt(hours: MarketHours, now: number): SessionAt {
  const named: [MarketSession, SessionWindow[]][] = [['pre', hours.pre], ['regular', hours.regular], ['post', hours.post]];
  if (hours.isOpen) {
    for (const [session, windows] of named) {
      for (const w of windows) if (now >= w.start && now < w.end) return { session, until: w.end };
    }
  }
  // Closed now: the next window to open that day, if any.
  const starts = hours.isOpen ? named.flatMap(([, ws]) => ws.map((w) => w.start)).filter((s) => s > now) : [];
  return { session: 'closed', until: starts.length > 0 ? Math.min(...starts) : null };
}
