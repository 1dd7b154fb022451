/** Named faults of the simulator (DESIGN.md "The simulator is a product feature"). */
export type FaultName = 'drop' | 'silence' | 'malformed' | 'deny-login' | 'expire-token' | 'second-login';

export const FAULT_NAMES: readonly FaultName[] = ['drop', 'silence', 'malformed', 'deny-login', 'expire-token', 'second-login'];

/** afterMs: once, that long after each login; everyMs: repeatedly; neither: from the start. */
export interface FaultSpec {
  name: FaultName;
  afterMs?: number;
  everyMs?: number;
}

/** "NAME", "NAME:5" (after 5 s) or "NAME:every=5". */
export function parseFault(text: string): FaultSpec {
  const [name, when, ...rest] = text.split(':');
  if (!FAULT_NAMES.includes(name as FaultName) || rest.length > 0) {
    throw new Error(`'${text}' is not a fault (one of ${FAULT_NAMES.join(', ')}, optionally :SECONDS or :every=SECONDS)`);
  }
  if (when === undefined || when === '') return { name: name as FaultName };
  const every = when.startsWith('every=');
  const seconds = Number(every ? when.slice(6) : when);
  if (!Number.isFinite(seconds) || seconds <= 0) throw new Error(`'${text}': the time must be a positive number of seconds`);
  return every ? { name: name as FaultName, everyMs: seconds * 1000 } : { name: name as FaultName, afterMs: seconds * 1000 };
}
