/**
 * When the streamer client tries again after a connection ends: every number of the policy, in one
 * place (README "What the recorder guarantees" describes it for users).
 *
 * - A connection that logged in and received market data proved the account, the token and the
 *   server work: whatever ended it (a flapping link, a load balancer, a silent socket), the next
 *   attempt waits only the first wait. So a link that drops every 2 s costs well under a second
 *   per drop, not a wait that keeps growing.
 * - Attempts that fail (no socket, login failed, dropped before any data) in a row double the wait
 *   up to the cap, so a broker that is down is asked at most about twice a minute.
 * - Every wait is drawn at random from its upper half, so many clients cut off at once do not come
 *   back in lockstep.
 * - A connection that stays up `stableAfterMs` counts as healthy even without data (a quiet
 *   subscription outside trading hours).
 * - A LOGIN denied once (code 3) is retried at once after refreshing the access token; denied
 *   again, the client stops (streamer-client.ts).
 */
export const RECONNECT_POLICY = {
  /** The wait after a healthy connection ends, and before the second attempt of a failing run. */
  firstWaitMs: 500,
  /** Each failed attempt in a row multiplies the wait by this… */
  factor: 2,
  /** …up to this cap. */
  maxWaitMs: 30_000,
  /** A wait is drawn uniformly from [jitterFloor × wait, wait]. */
  jitterFloor: 0.5,
  /** A connection up this long resets the backoff even if no market data came. */
  stableAfterMs: 30_000,
} as const;
