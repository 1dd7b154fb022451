/**
 * Price history (Schwab `GET /marketdata/v1/pricehistory`, TD `GET /v1/marketdata/{symbol}/pricehistory`,
 * docs/protocol/schwab.md §11.3, docs/protocol/tdameritrade.md §11.3): candles read off the same
 * seeded price path that drives the live quotes, so the same seed gives the same history and the
 * candle in progress ends at the instrument's last trade. Minute candles cover each trading day's
 * sessions (the regular one, plus pre and post market with needExtendedHoursData); daily candles
 * the regular session, stamped at midnight US Central; weeks and months are made of days.
 * The simulator's live feed never closes, so the candle holding "now" is always there, session or not.
 */
import type { Instrument } from './instrument.js';
import { uniformAt } from './price-path.js';
import { hashString } from './prng.js';
import { dailyCandleTime, isTradingDay, marketOf, nyDay, previousTradingDay, regularSession, sessionDay, tradingWindows, weekday, type PriceKind, type Window } from './sessions.js';

export interface Candle {
  open: number;
  high: number;
  low: number;
  close: number;
  volume: number;
  datetime: number;
}

export type PeriodType = 'day' | 'month' | 'year' | 'ytd';
export type FrequencyType = 'minute' | 'daily' | 'weekly' | 'monthly';

export interface HistoryRequest {
  periodType: PeriodType;
  period: number;
  frequencyType: FrequencyType;
  frequency: number;
  startDate: number | null;
  endDate: number | null;
  extended: boolean;
}

export interface HistoryError {
  parameter: string;
  detail: string;
}

const MINUTE = 60_000;
const DAY = 86_400_000;
/** At most this many candles per answer (the latest ones). */
export const MAX_CANDLES = 50_000;
const EARLIEST = Date.UTC(2000, 0, 3);

/** Valid periods per period type, the first being the default (the references' tables). */
const PERIODS: Record<PeriodType, number[]> = { day: [10, 1, 2, 3, 4, 5], month: [1, 2, 3, 6], year: [1, 2, 3, 5, 10, 15, 20], ytd: [1] };
/** Valid frequency types per period type, the first being the default. */
const FREQUENCY_TYPES: Record<PeriodType, FrequencyType[]> = { day: ['minute'], month: ['weekly', 'daily'], year: ['monthly', 'daily', 'weekly'], ytd: ['weekly', 'daily'] };
const FREQUENCIES: Record<FrequencyType, number[]> = { minute: [1, 5, 10, 15, 30], daily: [1], weekly: [1], monthly: [1] };

const isPeriodType = (v: string): v is PeriodType => Object.hasOwn(PERIODS, v);
const isFrequencyType = (v: string): v is FrequencyType => Object.hasOwn(FREQUENCIES, v);

/** Reads and checks the parameters both dialects share; an error names the parameter at fault. */
export function parseHistoryParams(q: URLSearchParams): HistoryRequest | HistoryError {
  const periodType = (q.get('periodType') ?? 'day').toLowerCase();
  if (!isPeriodType(periodType)) return { parameter: 'periodType', detail: `periodType must be one of day, month, year, ytd, not '${periodType}'` };
  const int = (name: string): number | null | HistoryError => {
    const v = q.get(name);
    if (v === null || v === '') return null;
    return /^\d+$/.test(v) ? Number(v) : { parameter: name, detail: `${name} must be a whole number, not '${v}'` };
  };
  const period = int('period');
  if (typeof period === 'object' && period !== null) return period;
  if (period !== null && !PERIODS[periodType].includes(period)) {
    return { parameter: 'period', detail: `period for periodType ${periodType} must be one of ${[...PERIODS[periodType]].sort((a, b) => a - b).join(', ')}` };
  }
  const frequencyType = (q.get('frequencyType') ?? FREQUENCY_TYPES[periodType][0]!).toLowerCase();
  if (!isFrequencyType(frequencyType) || !FREQUENCY_TYPES[periodType].includes(frequencyType)) {
    return { parameter: 'frequencyType', detail: `frequencyType for periodType ${periodType} must be one of ${FREQUENCY_TYPES[periodType].join(', ')}` };
  }
  const frequency = int('frequency');
  if (typeof frequency === 'object' && frequency !== null) return frequency;
  if (frequency !== null && !FREQUENCIES[frequencyType].includes(frequency)) {
    return { parameter: 'frequency', detail: `frequency for frequencyType ${frequencyType} must be one of ${FREQUENCIES[frequencyType].join(', ')}` };
  }
  const startDate = int('startDate');
  if (typeof startDate === 'object' && startDate !== null) return startDate;
  const endDate = int('endDate');
  if (typeof endDate === 'object' && endDate !== null) return endDate;
  if (startDate !== null && endDate !== null && startDate > endDate) return { parameter: 'startDate', detail: 'startDate must not be after endDate' };
  const ext = (q.get('needExtendedHoursData') ?? 'true').toLowerCase();
  if (ext !== 'true' && ext !== 'false') return { parameter: 'needExtendedHoursData', detail: 'needExtendedHoursData must be true or false' };
  return {
    periodType, period: period ?? PERIODS[periodType][0]!, frequencyType, frequency: frequency ?? 1,
    startDate, endDate, extended: ext === 'true',
  };
}

/** The price of an instrument at `t` (on its tick grid): its path, or for an option the model value on its underlying's path. */
export function priceAt(inst: Instrument, t: number): number {
  if (inst.path) return inst.onTick(inst.fair(t));
  const u = inst.underlying!;
  return Math.max(inst.ref.tick, inst.onTick(inst.modelValue(u.fair(t), t)));
}

const kindOf = (inst: Instrument): PriceKind => inst.ref.kind;

/** Where the requested window starts and ends. */
function window(req: HistoryRequest, kind: PriceKind, now: number): { from: number; to: number } {
  const to = Math.min(now, req.endDate ?? now);
  if (req.startDate !== null) return { from: Math.max(EARLIEST, req.startDate), to };
  const end = new Date(to);
  let from: number;
  switch (req.periodType) {
    case 'day': {
      // `period` trading days, the end's own session day included.
      let d = sessionDay(kind, to);
      for (let i = 1; i < req.period; i++) d = previousTradingDay(d);
      const w = tradingWindows(kind, d, true)[0] ?? regularSession(kind, d);
      from = w.start;
      break;
    }
    case 'month': from = Date.UTC(end.getUTCFullYear(), end.getUTCMonth() - req.period, end.getUTCDate()); break;
    case 'year': from = Date.UTC(end.getUTCFullYear() - req.period, end.getUTCMonth(), end.getUTCDate()); break;
    case 'ytd': from = Date.UTC(end.getUTCFullYear(), 0, 1); break;
  }
  return { from: Math.max(EARLIEST, from), to };
}

/** Share of a day's volume in one minute of the session: busy at the open and the close, thin outside it. */
function minuteWeight(kind: PriceKind, s: Window, t: number): number {
  if (marketOf(kind) !== 'equity') return 1;
  if (t < s.start || t >= s.end) return 0.06;
  const fromOpen = (t - s.start) / MINUTE;
  const toClose = (s.end - t) / MINUTE;
  return (1 + 1.8 * Math.exp(-fromOpen / 25) + 1.2 * Math.exp(-toClose / 25)) / 1.25;
}

function minutesPerDay(kind: PriceKind): number {
  const m = marketOf(kind);
  return m === 'future' ? 23 * 60 : m === 'forex' ? 24 * 60 : 390;
}

/** Candles of an instrument for a request, the last one ending at its live last price when `now` falls inside it. */
export function priceHistory(inst: Instrument, req: HistoryRequest, now: number): Candle[] {
  const kind = kindOf(inst);
  const { from, to } = window(req, kind, now);
  if (to < from) return [];
  const out = req.frequencyType === 'minute' ? minuteCandles(inst, kind, from, to, req.frequency, req.extended, now) : aggregate(dailyCandles(inst, kind, from, to, now), req.frequencyType);
  return out.length > MAX_CANDLES ? out.slice(out.length - MAX_CANDLES) : out;
}

function volumeKey(inst: Instrument): number {
  return hashString(`volume:${inst.ref.pathName}`);
}

function minuteCandles(inst: Instrument, kind: PriceKind, from: number, to: number, frequency: number, extended: boolean, now: number): Candle[] {
  const step = frequency * MINUTE;
  const out: Candle[] = [];
  const key = volumeKey(inst);
  const perMinute = inst.ref.dailyVolume / minutesPerDay(kind);
  const liveBucket = Math.floor(now / step) * step;
  const sample = Math.max(15_000, step / 6);
  const candle = (start: number, day: number): Candle => {
    const session = regularSession(kind, day);
    const live = start === liveBucket;
    const end = live ? now : start + step;
    const open = priceAt(inst, start);
    const close = live ? inst.last : priceAt(inst, end);
    let high = Math.max(open, close);
    let low = Math.min(open, close);
    for (let t = start + sample; t < end; t += sample) {
      const p = priceAt(inst, t);
      if (p > high) high = p;
      if (p < low) low = p;
    }
    let volume = 0;
    for (let m = start; m < end; m += MINUTE) volume += perMinute * minuteWeight(kind, session, m) * (0.4 + 1.2 * uniformAt(key, Math.floor(m / MINUTE)));
    const lot = inst.ref.kind === 'equity' ? 100 : 1;
    return { open, high, low, close, volume: Math.round(volume / lot) * lot, datetime: start };
  };
  let liveSeen = false;
  for (let day = nyDay(from) - 1; day <= nyDay(to) + 1; day++) {
    if (!isTradingDay(day)) continue;
    for (const w of tradingWindows(kind, day, extended)) {
      for (let t = Math.floor(Math.max(w.start, from) / step) * step; t < w.end && t <= to && t <= liveBucket; t += step) {
        if (t < w.start) continue;
        if (t === liveBucket) liveSeen = true;
        out.push(candle(t, day));
      }
    }
  }
  // The live feed never closes: the minute being traded now is a candle even outside the sessions.
  if (!liveSeen && to >= now - 1 && liveBucket >= from) out.push(candle(liveBucket, sessionDay(kind, now)));
  out.sort((a, b) => a.datetime - b.datetime);
  return out;
}

function dailyCandles(inst: Instrument, kind: PriceKind, from: number, to: number, now: number): Candle[] {
  const out: Candle[] = [];
  const key = volumeKey(inst);
  const today = sessionDay(kind, now);
  for (let day = nyDay(from) - 1; day <= nyDay(to) + 1; day++) {
    if (!isTradingDay(day)) continue;
    const s = regularSession(kind, day);
    const stamp = dailyCandleTime(day);
    if (s.end <= from || s.start > to || s.start > now) continue;
    if (day === today) {
      // The session in progress is the live quote's day: its open, high, low, last and volume.
      out.push({ open: inst.open, high: Math.max(inst.high, inst.last), low: Math.min(inst.low, inst.last), close: inst.last, volume: inst.volume, datetime: stamp });
      continue;
    }
    if (day > today) continue;
    const open = priceAt(inst, s.start);
    const close = priceAt(inst, s.end);
    let high = Math.max(open, close);
    let low = Math.min(open, close);
    const sample = (s.end - s.start) / 16;
    for (let t = s.start + sample; t < s.end; t += sample) {
      const p = priceAt(inst, t);
      if (p > high) high = p;
      if (p < low) low = p;
    }
    const lot = inst.ref.kind === 'equity' ? 100 : 1;
    const volume = Math.round((inst.ref.dailyVolume * (0.6 + 0.8 * uniformAt(key, day))) / lot) * lot;
    out.push({ open, high, low, close, volume, datetime: stamp });
  }
  return out;
}

/** Weeks (Monday to Friday) or calendar months made of daily candles; each stamped with its first day. */
function aggregate(days: Candle[], frequencyType: FrequencyType): Candle[] {
  if (frequencyType === 'daily') return days;
  const bucketOf = (c: Candle) => {
    const day = nyDay(c.datetime + 3_600_000);
    if (frequencyType === 'weekly') return day - ((weekday(day) + 6) % 7);
    const d = new Date(day * DAY);
    return d.getUTCFullYear() * 12 + d.getUTCMonth();
  };
  const out: Candle[] = [];
  let bucket = Number.NaN;
  for (const c of days) {
    const b = bucketOf(c);
    const last = out[out.length - 1];
    if (b !== bucket || !last) {
      out.push({ ...c });
      bucket = b;
    } else {
      last.high = Math.max(last.high, c.high);
      last.low = Math.min(last.low, c.low);
      last.close = c.close;
      last.volume += c.volume;
    }
  }
  return out;
}

/** The close before the last candle's day, and when it was made (Schwab's needPreviousClose). */
export function previousClose(inst: Instrument, candles: Candle[], now: number): { price: number; time: number } {
  const kind = kindOf(inst);
  const lastDay = candles.length > 0 ? sessionDay(kind, candles[candles.length - 1]!.datetime + 3_600_000) : sessionDay(kind, now);
  if (lastDay === sessionDay(kind, now)) return { price: inst.close, time: inst.closeTime };
  const s = regularSession(kind, previousTradingDay(lastDay));
  return { price: priceAt(inst, s.end), time: s.end };
}
