/**
 * Times as the user chose to see them: exchange time (New York, the default) or the local zone.
 * One place formats every time the app shows (grid, Time & Sales, chart axis, CSV dialog) and
 * reads wall-clock times typed in a zone (CSV dialog, the CLI's --from/--to), with Intl only.
 */
import * as v from 'valibot';

export const EXCHANGE_ZONE = 'America/New_York';
export const TIME_ZONE_SETTINGS = ['exchange', 'local'] as const;
export const TimeZoneSettingSchema = v.picklist(TIME_ZONE_SETTINGS, 'the time zone is exchange or local');
export type TimeZoneSetting = (typeof TIME_ZONE_SETTINGS)[number];

/** The IANA zone of this machine (or browser). */
export function localZone(): string {
  return new Intl.DateTimeFormat('en-US').resolvedOptions().timeZone;
}

export function zoneOf(setting: TimeZoneSetting): string {
  return setting === 'local' ? localZone() : EXCHANGE_ZONE;
}

/** True when Intl knows the zone (an IANA name such as Europe/Berlin, or UTC). */
export function isValidZone(zone: string): boolean {
  try {
    new Intl.DateTimeFormat('en-US', { timeZone: zone });
    return true;
  } catch {
    return false;
  }
}

type Style = 'time' | 'minute' | 'date' | 'parts' | 'name';
const STYLES: Record<Style, Intl.DateTimeFormatOptions> = {
  time: { hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' },
  minute: { hour: '2-digit', minute: '2-digit', hourCycle: 'h23' },
  date: { month: 'short', day: 'numeric' },
  parts: { year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' },
  name: { timeZoneName: 'short' },
};
/**
 * Formatters are costly to build and formatting is hot (every grid time cell at every tick): one
 * per zone and style, found without building a key string.
 */
const cache = new Map<string, Partial<Record<Style, Intl.DateTimeFormat>>>();
function formatter(zone: string, style: Style): Intl.DateTimeFormat {
  let byStyle = cache.get(zone);
  if (!byStyle) cache.set(zone, (byStyle = {}));
  return (byStyle[style] ??= new Intl.DateTimeFormat('en-US', { ...STYLES[style], timeZone: zone }));
}

/**
 * The zone's short label: "ET" for exchange time (EST/EDT would change twice a year under the
 * user's feet), else Intl's short name ("PST", "GMT+9", "UTC").
 */
export function zoneLabel(zone: string, at = Date.now()): string {
  if (zone === EXCHANGE_ZONE) return 'ET';
  return formatter(zone, 'name').formatToParts(at).find((p) => p.type === 'timeZoneName')?.value ?? zone;
}

/** 09:30:05 */
export const formatTime = (ms: number, zone: string): string => formatter(zone, 'time').format(ms);
/** 09:30 */
export const formatMinute = (ms: number, zone: string): string => formatter(zone, 'minute').format(ms);
/** Nov 27 */
export const formatDay = (ms: number, zone: string): string => formatter(zone, 'date').format(ms);

export interface WallClock {
  year: number;
  month: number;
  day: number;
  hour: number;
  minute: number;
  second: number;
  millisecond: number;
}

/** The wall clock in a zone at an instant. */
export function wallClockAt(ms: number, zone: string): WallClock {
  const parts = Object.fromEntries(formatter(zone, 'parts').formatToParts(ms).map((p) => [p.type, p.value]));
  const n = (k: string) => Number(parts[k]);
  return { year: n('year'), month: n('month'), day: n('day'), hour: n('hour'), minute: n('minute'), second: n('second'), millisecond: ((ms % 1000) + 1000) % 1000 };
}

const asUtc = (w: WallClock) => Date.UTC(w.year, w.month - 1, w.day, w.hour, w.minute, w.second, w.millisecond);

/** The wall clock in a zone at an instant, written as the UTC instant that reads the same (for a UTC-only axis). */
export const wallClockAsUtc = (ms: number, zone: string): number => asUtc(wallClockAt(ms, zone));

/**
 * The instant a wall-clock time names in a zone. The zone's offset is read at a first guess and
 * once more at the result, which settles across a daylight-saving change; a time the change
 * skips (02:30 on the spring-forward night) lands an hour later, as clocks do.
 */
export function instantOf(w: WallClock, zone: string): number {
  const guess = asUtc(w);
  const offsetAt = (t: number) => asUtc({ ...wallClockAt(t, zone), millisecond: ((t % 1000) + 1000) % 1000 }) - t;
  const first = guess - offsetAt(guess);
  return guess - offsetAt(first);
}

const WALL_CLOCK = /^(\d{4})-(\d{2})-(\d{2})(?:[T ](\d{2}):(\d{2})(?::(\d{2})(?:\.(\d{1,3}))?)?)?$/;

/** Reads `2026-11-27`, `2026-11-27T09:30`, `…:05` or `…:05.250` as a wall clock; null if it is none. */
export function parseWallClock(text: string): WallClock | null {
  const m = WALL_CLOCK.exec(text.trim());
  if (!m) return null;
  const [year, month, day, hour, minute, second] = [1, 2, 3, 4, 5, 6].map((i) => Number(m[i] ?? 0)) as [number, number, number, number, number, number];
  const millisecond = Number((m[7] ?? '').padEnd(3, '0') || 0);
  if (month < 1 || month > 12 || day < 1 || day > new Date(Date.UTC(year, month, 0)).getUTCDate() || hour > 23 || minute > 59 || second > 59) return null;
  return { year, month, day, hour, minute, second, millisecond };
}

/** A `datetime-local` input's value (YYYY-MM-DDTHH:MM) read in a zone; undefined when empty or unreadable. */
export function inputToInstant(text: string, zone: string): number | undefined {
  const w = text ? parseWallClock(text) : null;
  return w ? instantOf(w, zone) : undefined;
}

/** An instant as a `datetime-local` input's value in a zone. */
export function instantToInput(ms: number, zone: string): string {
  const w = wallClockAt(ms, zone);
  const p = (n: number) => String(n).padStart(2, '0');
  return `${w.year}-${p(w.month)}-${p(w.day)}T${p(w.hour)}:${p(w.minute)}`;
}
