/**
 * Capped exponential backoff with jitter, so a fleet of clients does not reconnect in lockstep.
 * The numbers are the reconnect policy's (reconnect-policy.ts) unless a test passes its own.
 */
import { RECONNECT_POLICY } from './reconnect-policy.js';

export interface BackoffOptions {
  initialMs: number;
  maxMs: number;
  random?: () => number;
}

export class Backoff {
  private attempt = 0;
  private readonly opts: BackoffOptions;

  constructor(opts: Partial<BackoffOptions> = {}) {
    this.opts = { initialMs: RECONNECT_POLICY.firstWaitMs, maxMs: RECONNECT_POLICY.maxWaitMs, ...opts };
  }

  /** The wait before the next attempt: the capped exponential delay, scaled into [jitterFloor, 100 %]. */
  next(): number {
    const ceiling = Math.min(this.opts.maxMs, this.opts.initialMs * RECONNECT_POLICY.factor ** this.attempt);
    this.attempt = Math.min(this.attempt + 1, 30);
    const r = (this.opts.random ?? Math.random)();
    const floor = RECONNECT_POLICY.jitterFloor;
    return Math.round(ceiling * (floor + r * (1 - floor)));
  }

  reset(): void {
    this.attempt = 0;
  }

  get attempts(): number {
    return this.attempt;
  }
}
