/**
 * The chart's time axis and crosshair label in the chosen zone. lightweight-charts reads bar times
 * as UTC seconds and would label them in UTC; these formatters label them in the user's zone instead.
 */
import { TickMarkType, type ChartOptions, type DeepPartial, type Time } from 'lightweight-charts';
import { formatDay, formatMinute, formatTime } from '../../../shared/time-zone.js';

const msOf = (time: Time): number | null => (typeof time === 'number' ? time * 1000 : null);

/** The crosshair's label, which says which zone it is in: "Nov 27 09:30 ET". */
export function crosshairTime(zone: string, label: string): (time: Time) => string {
  return (time) => {
    const ms = msOf(time);
    return ms === null ? String(time) : `${formatDay(ms, zone)} ${formatMinute(ms, zone)} ${label}`;
  };
}

/** Axis labels: the time of day on intraday marks, the day on day marks. */
export function tickMark(zone: string): (time: Time, type: TickMarkType) => string | null {
  return (time, type) => {
    const ms = msOf(time);
    if (ms === null) return null;
    if (type === TickMarkType.TimeWithSeconds) return formatTime(ms, zone);
    if (type === TickMarkType.Time) return formatMinute(ms, zone);
    return formatDay(ms, zone);
  };
}

export function chartTimeOptions(zone: string, label: string): DeepPartial<ChartOptions> {
  return { localization: { timeFormatter: crosshairTime(zone, label) }, timeScale: { tickMarkFormatter: tickMark(zone) } };
}
