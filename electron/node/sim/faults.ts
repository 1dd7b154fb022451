/**
 * Named faults of the simulator (electron/node/sim/README.md "Faults") and their CLI form:
 * "NAME" (once, 5 s after each login; deny-login: from the start), "NAME:SECONDS" (once, that long
 * after each login; deny-login: every LOGIN from that long after start) and "NAME:every=SECONDS"
 * (repeatedly on each connection; deny-login: the first LOGIN of each period denied).
 */
export type FaultName = 'drop' | 'silence' | 'malformed' | 'deny-login' | 'expire-token' | 'second-login';

export const FAULT_NAMES: readonly FaultName[] = ['drop', 'silence', 'malformed', 'deny-login', 'expire-token', 'second-login'];

export interface FaultSpec {
  name: FaultName;
  afterMs?: number;
  everyMs?: number;
}

/** Delay of a connection fault given without a time. */
export const DEFAULT_FAULT_DELAY_MS = 5000;

const isFaultName = (s: string): s is FaultName => (FAULT_NAMES as readonly string[]).includes(s);

/** "NAME", "NAME:5" (after 5 s) or "NAME:every=5"; throws with a one-line message otherwise. */
export function parseFault(text: string): FaultSpec {
  const trimmed = text.trim();
  const colon = trimmed.indexOf(':');
  const name = colon < 0 ? trimmed : trimmed.slice(0, colon);
  const when = colon < 0 ? undefined : trimmed.slice(colon + 1);
  if (!isFaultName(name)) {
    throw new Error(`unknown fault '${name}' in '${text}' (expected one of ${FAULT_NAMES.join(', ')}, optionally :SECONDS or :every=SECONDS)`);
  }
  if (when === undefined) return { name };
  const every = when.startsWith('every=');
  const number = every ? when.slice('every='.length) : when;
  const seconds = /^\d+(\.\d+)?$/.test(number) ? Number(number) : Number.NaN;
  if (!Number.isFinite(seconds) || seconds <= 0) {
    throw new Error(`bad time in fault '${text}': expected a positive number of seconds, as in ${name}:5 or ${name}:every=5`);
  }
  const ms = Math.round(seconds * 1000);
  return every ? { name, everyMs: ms } : { name, afterMs: ms };
}
