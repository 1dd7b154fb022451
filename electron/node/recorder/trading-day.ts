/**
 * Trading days and the files named after them. A day runs midnight to midnight in New York, where
 * the US markets are, so a daily file holds one session, pre- and after-market included, wherever
 * the recorder runs.
 */
import { parse, join } from 'node:path';

const NEW_YORK_DATE = new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York', year: 'numeric', month: '2-digit', day: '2-digit' });

/** `YYYY-MM-DD` of the New York date at `ms`. */
export function tradingDay(ms: number): string {
  return NEW_YORK_DATE.format(new Date(ms));
}

/** `ticks.db` → `ticks-2026-03-14.db` (beside it). */
export function dailyPath(base: string, day: string): string {
  const p = parse(base);
  return join(p.dir, `${p.name}-${day}${p.ext}`);
}

/** The day of a file named by dailyPath for `base`, or null for any other name. */
export function dayOfDailyFile(base: string, fileName: string): string | null {
  const p = parse(base);
  const escape = (s: string) => s.replace(/[.*+?^${}()|[\]\\]/g, '\\$&');
  const m = new RegExp(`^${escape(p.name)}-(\\d{4}-\\d{2}-\\d{2})${escape(p.ext)}$`).exec(fileName);
  return m ? m[1]! : null;
}

/** The day `days` whole days before `day` (calendar arithmetic on the date itself). */
export function daysBefore(day: string, days: number): string {
  const [y, m, d] = day.split('-').map(Number) as [number, number, number];
  return new Date(Date.UTC(y, m - 1, d - days)).toISOString().slice(0, 10);
}
