/**
 * When one rule fires, as a pure step over the values it sees (tests drive it directly).
 *
 * - `above` fires on an update whose value is > the threshold while the rule is armed; `below` on
 *   one < the threshold. A rule is armed when it is created, enabled, edited or the app starts, so
 *   a condition that already holds fires on the first update.
 * - `crosses` fires when the value moves from one side of the threshold to the other. It needs the
 *   previous side, so the first update only sets it.
 * - Hysteresis, so a price hovering at the threshold does not fire on every tick: after firing, an
 *   `above` rule is armed again only once the value has fallen to threshold − band or lower (`below`:
 *   risen to threshold + band or higher); for `crosses` a side changes only when the value is more
 *   than the band past the threshold (inside the band the side stays what it was). The band is
 *   REARM_BAND of the threshold. A `once` rule is disabled by its owner after firing.
 */
import type { AlertOp } from '../../../shared/alerts.js';

/** 0.01 % of the threshold: 2.3 cents at 230, one pip at 1.0850; 0 for a threshold of 0. */
export const REARM_BAND = 0.0001;

export interface RuleState {
  armed: boolean;
  /** Crosses: the side of the threshold the value was last seen on (1 above, −1 below, 0 not yet). */
  side: -1 | 0 | 1;
}

export const freshState = (): RuleState => ({ armed: true, side: 0 });

/** Advances the state by one value; true when the rule fires on it. */
export function step(state: RuleState, op: AlertOp, threshold: number, value: number): boolean {
  const band = Math.abs(threshold) * REARM_BAND;
  if (op === 'crosses') {
    const side = value > threshold + band ? 1 : value < threshold - band ? -1 : 0;
    if (side === 0) return false;
    const crossed = state.side !== 0 && side !== state.side;
    state.side = side;
    return crossed && state.armed;
  }
  const hit = op === 'above' ? value > threshold : value < threshold;
  if (state.armed && hit) {
    state.armed = false;
    return true;
  }
  if (!state.armed && (op === 'above' ? value <= threshold - band : value >= threshold + band)) state.armed = true;
  return false;
}
