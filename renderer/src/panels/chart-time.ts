/**
 * The chart's time axis in the chosen zone. lightweight-charts reads bar times as UTC seconds and
 * places its tick marks on UTC's whole hours and midnights, so a bar's time is given to it as the
 * zone's wall clock written as UTC: marks then fall on the zone's hours and midnights (a day mark at
 * New York's midnight, not at 19:00 the evening before; half-hour zones on their own whole hours),
 * and the formatters read the axis back as UTC.
 */
import { TickMarkType, type ChartOptions, type DeepPartial, type Time, type UTCTimestamp } from 'lightweight-charts';
import { formatDay, formatMinute, formatTime, wallClockAsUtc } from '../../../shared/time-zone.js';

const AXIS_ZONE = 'UTC';
const msOf = (time: Time): number | null => (typeof time === 'number' ? time * 1000 : null);

/** A bar's instant (ms epoch) as the chart's axis time in `zone`. */
export const axisTime = (ms: number, zone: string): UTCTimestamp => Math.floor(wallClockAsUtc(ms, zone) / 1000) as UTCTimestamp;

/**
 * Axis times of ascending instants, kept strictly ascending as the chart requires: in the hour a
 * daylight-saving change repeats (01:00–02:00 on the autumn night), the second pass of the wall clock
 * would go back, so those bars follow the previous one a second apart.
 */
export function axisTimes(instants: readonly number[], zone: string): UTCTimestamp[] {
  const out: UTCTimestamp[] = [];
  let previous = -Infinity;
  for (const ms of instants) {
    const t = Math.max(axisTime(ms, zone), previous + 1) as UTCTimestamp;
    out.push(t);
    previous = t;
  }
  return out;
}

/** The crosshair's label, which says which zone it is in: "Nov 27 09:30 ET". */
export function crosshairTime(label: string): (time: Time) => string {
  return (time) => {
    const ms = msOf(time);
    return ms === null ? String(time) : `${formatDay(ms, AXIS_ZONE)} ${formatMinute(ms, AXIS_ZONE)} ${label}`;
  };
}

/** Axis labels: the time of day on intraday marks, the day on day marks. */
export function tickMark(time: Time, type: TickMarkType): string | null {
  const ms = msOf(time);
  if (ms === null) return null;
  if (type === TickMarkType.TimeWithSeconds) return formatTime(ms, AXIS_ZONE);
  if (type === TickMarkType.Time) return formatMinute(ms, AXIS_ZONE);
  return formatDay(ms, AXIS_ZONE);
}

export function chartTimeOptions(label: string): DeepPartial<ChartOptions> {
  return { localization: { timeFormatter: crosshairTime(label) }, timeScale: { tickMarkFormatter: tickMark } };
}
