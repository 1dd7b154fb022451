/**
 * A token bucket for a provider's REST calls: Schwab documents 120 requests a minute per app
 * (docs/protocol/schwab.md §11), so every REST call of a provider takes a token first. A call with
 * no token left waits its turn (first come, first served) instead of failing, and a 429 answer's
 * Retry-After empties the bucket until then, so the queue slows down instead of hammering.
 */
export const SCHWAB_REQUESTS_PER_MINUTE = 120;

export interface RateLimiterOptions {
  /** Tokens per window, and the bucket's size (a full bucket allows that many calls at once). */
  limit: number;
  /** Default 60 s. */
  windowMs?: number;
  now?: () => number;
  /** Runs `fn` after `ms` (default setTimeout); tests pass a manual clock and timers. */
  setTimer?: (fn: () => void, ms: number) => () => void;
}

const realTimer = (fn: () => void, ms: number) => {
  const t = setTimeout(fn, ms);
  return () => clearTimeout(t);
};

export class RateLimiter {
  private tokens: number;
  private refilledAt: number;
  /** No token is handed out before this (a server's Retry-After). */
  private blockedUntil = 0;
  private readonly queue: (() => void)[] = [];
  /** Cancels the wake-up for the next token, while one is set. */
  private timer: (() => void) | null = null;
  private readonly windowMs: number;
  private readonly now: () => number;
  private readonly setTimer: NonNullable<RateLimiterOptions['setTimer']>;

  constructor(private readonly opts: RateLimiterOptions) {
    if (!(opts.limit >= 1)) throw new Error('a rate limit needs at least one request per window');
    this.windowMs = opts.windowMs ?? 60_000;
    this.now = opts.now ?? Date.now;
    this.setTimer = opts.setTimer ?? realTimer;
    this.tokens = opts.limit;
    this.refilledAt = this.now();
  }

  /** Calls waiting for a token. */
  get waiting(): number {
    return this.queue.length;
  }

  /** Resolves when the caller may send one request. */
  acquire(): Promise<void> {
    return new Promise((resolve) => {
      this.queue.push(resolve);
      this.drain();
    });
  }

  /** The server said "not before `ms` from now" (429 Retry-After): hold every call until then. */
  pauseFor(ms: number): void {
    this.blockedUntil = Math.max(this.blockedUntil, this.now() + ms);
    this.tokens = 0;
    this.refilledAt = Math.max(this.refilledAt, this.blockedUntil);
  }

  /** Drops waiting calls' timer (they stay unresolved: the provider is closing). */
  stop(): void {
    this.timer?.();
    this.timer = null;
    this.queue.length = 0;
  }

  private refill(now: number): void {
    if (now <= this.refilledAt) return;
    const rate = this.opts.limit / this.windowMs;
    this.tokens = Math.min(this.opts.limit, this.tokens + (now - this.refilledAt) * rate);
    this.refilledAt = now;
  }

  private drain(): void {
    const now = this.now();
    this.refill(now);
    while (this.queue.length > 0 && now >= this.blockedUntil && this.tokens >= 1) {
      this.tokens -= 1;
      this.queue.shift()!();
    }
    if (this.queue.length === 0 || this.timer) return;
    // When the next token is due (or the server's pause ends, whichever is later).
    const untilToken = Math.ceil((1 - this.tokens) * (this.windowMs / this.opts.limit));
    const wait = Math.max(this.blockedUntil - now, untilToken, 1);
    this.timer = this.setTimer(() => {
      this.timer = null;
      this.drain();
    }, wait);
  }
}
