/**
 * The equity market's session (pre, regular, post, closed) over time, from the provider's REST
 * market hours: today's hours are fetched at start and again each New York day, the session is
 * re-derived at each of the day's boundaries, and every change is told to the listener (the status
 * event). A failed fetch is said once; the session is then unknown until the next try succeeds.
 */
import { sessionAt, type MarketHours, type MarketSession } from '../../../shared/market-session.js';
import type { MarketDataClient } from '../provider/market-data-types.js';

/** Without a boundary ahead (closed for the day, or hours unknown), look again this often. */
const RECHECK_MS = 30 * 60_000;
/** After a boundary, wait a moment so the clock is surely past it. */
const BOUNDARY_SLACK_MS = 1000;

export interface SessionClock {
  now(): number;
  setTimer(fn: () => void, ms: number): () => void;
}

const realClock: SessionClock = {
  now: Date.now,
  setTimer: (fn, ms) => {
    const t = setTimeout(fn, ms);
    t.unref();
    return () => clearTimeout(t);
  },
};

/** yyyy-MM-dd in New York. */
export function newYorkDate(t: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date(t));
}

export class MarketSessionTracker {
  private hours: MarketHours | null = null;
  private session: MarketSession | undefined;
  private cancel: (() => void) | null = null;
  private stopped = false;
  private failedOnce = false;

  constructor(
    private readonly client: Pick<MarketDataClient, 'marketHours'>,
    private readonly onChange: (session: MarketSession | undefined) => void,
    private readonly onError: (message: string) => void,
    private readonly clock: SessionClock = realClock,
  ) {}

  get current(): MarketSession | undefined {
    return this.session;
  }

  start(): Promise<void> {
    return this.tick();
  }

  stop(): void {
    this.stopped = true;
    this.cancel?.();
    this.cancel = null;
  }

  private async tick(): Promise<void> {
    if (this.stopped) return;
    const now = this.clock.now();
    const today = newYorkDate(now);
    if (this.hours?.date !== today) {
      try {
        this.hours = await this.client.marketHours('equity', today);
        this.failedOnce = false;
      } catch (err) {
        this.hours = null;
        if (!this.failedOnce) this.onError(`Market hours are unavailable, so the session is not shown: ${(err as Error).message}`);
        this.failedOnce = true;
      }
      if (this.stopped) return;
    }
    const at = this.hours ? sessionAt(this.hours, this.clock.now()) : null;
    const next = at?.session;
    if (next !== this.session) {
      this.session = next;
      this.onChange(next);
    }
    const wait = at?.until != null ? at.until - this.clock.now() + BOUNDARY_SLACK_MS : RECHECK_MS;
    this.cancel = this.clock.setTimer(() => void this.tick(), Math.max(BOUNDARY_SLACK_MS, Math.min(wait, RECHECK_MS)));
  }
}
