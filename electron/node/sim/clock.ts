/**
 * Exchange clocks: the references mix epoch ms with exchange-local times (TD QUOTE/OPTION times are
 * seconds since midnight ET, docs/protocol/tdameritrade.md §5.1; book participant times are ms since midnight ET on
 * Schwab, docs/protocol/schwab.md §5.6, and Central on TD, docs/protocol/tdameritrade.md §5.12; chart sequences count minutes since
 * 07:00 ET, docs/protocol/schwab.md §5.7). Offsets are looked up once per hour and remembered.
 */
const DAY_MS = 86_400_000;
const HOUR_MS = 3_600_000;

function offsetFinder(timeZone: string): (ms: number) => number {
  const fmt = new Intl.DateTimeFormat('en-US', {
    timeZone,
    hourCycle: 'h23',
    year: 'numeric',
    month: 'numeric',
    day: 'numeric',
    hour: 'numeric',
    minute: 'numeric',
    second: 'numeric',
  });
  // Offsets per hour, remembered: price history asks for the same days over and over.
  const byHour = new Map<number, number>();
  return (ms: number) => {
    const hour = Math.floor(ms / HOUR_MS);
    let offset = byHour.get(hour);
    if (offset === undefined) {
      const parts: Record<string, number> = {};
      for (const p of fmt.formatToParts(new Date(hour * HOUR_MS))) if (p.type !== 'literal') parts[p.type] = Number(p.value);
      const local = Date.UTC(parts.year!, parts.month! - 1, parts.day!, parts.hour!, parts.minute!, parts.second!);
      offset = local - hour * HOUR_MS;
      if (byHour.size >= 500_000) byHour.clear();
      byHour.set(hour, offset);
    }
    return offset;
  };
}

const easternOffset = offsetFinder('America/New_York');
const centralOffset = offsetFinder('America/Chicago');

/** Wall-clock ms in New York, as if it were UTC (for date arithmetic on the local day). */
export const easternMs = (ms: number): number => ms + easternOffset(ms);
export const centralMs = (ms: number): number => ms + centralOffset(ms);

export const msSinceMidnightEastern = (ms: number): number => ((easternMs(ms) % DAY_MS) + DAY_MS) % DAY_MS;
export const msSinceMidnightCentral = (ms: number): number => ((centralMs(ms) % DAY_MS) + DAY_MS) % DAY_MS;
export const secondsSinceMidnightEastern = (ms: number): number => Math.floor(msSinceMidnightEastern(ms) / 1000);

/** Days since 1970-01-01 of the New York calendar day (QUOTE_DAY, CHART_DAY). */
export const daysSinceEpoch = (ms: number): number => Math.floor(easternMs(ms) / DAY_MS);

/** CHART_EQUITY's SEQUENCE: minutes since 07:00 ET of the bar (docs/protocol/schwab.md §5.7, docs/protocol/tdameritrade.md §5.6, inferred there). */
export const chartSequence = (barStartMs: number): number => Math.floor(msSinceMidnightEastern(barStartMs) / 60_000) - 7 * 60;

const pad2 = (n: number) => (n < 10 ? `0${n}` : String(n));

/** "H:MM:SS" (hours unpadded) and "HH:MM:SS", New York time, as the actives descriptor writes them. */
export function easternClock(ms: number, padHours: boolean): string {
  const s = Math.floor(msSinceMidnightEastern(ms) / 1000);
  const h = Math.floor(s / 3600);
  return `${padHours ? pad2(h) : h}:${pad2(Math.floor(s / 60) % 60)}:${pad2(s % 60)}`;
}

/** TD's ISO form with a colon-less offset: "2020-05-22T02:12:48+0000" (docs/protocol/tdameritrade.md §2.1). */
export const isoNoColon = (ms: number): string => new Date(Math.floor(ms / 1000) * 1000).toISOString().replace(/\.\d{3}Z$/, '+0000');
