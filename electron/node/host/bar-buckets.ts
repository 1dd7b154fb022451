/**
 * Live bars (CHART_* one-minute bars, or the simulator's shorter ones) folded into a chart
 * interval's bars, on top of the provider's price history: a bucket's bar keeps the history's open
 * when it has one, takes the extremes of both, and the newest live close. Volume is the larger of
 * the two, since the history's candle in progress already counts part of what streamed.
 */
import { INTERVAL_MINUTES, type ChartInterval } from '../../../shared/chart-interval.js';
import type { Candle } from '../../../shared/market.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

/**
 * The bucket a bar at `time` belongs to. Minute intervals are aligned to the epoch (sessions start
 * on whole quarter hours); a daily bucket starts at the newest daily history candle's stamp
 * (midnight, Central time, by the references), stepped by whole days.
 */
export function bucketOf(time: number, interval: ChartInterval, lastDaily: number | null): number {
  if (interval !== '1d') {
    const size = INTERVAL_MINUTES[interval] * MINUTE;
    return Math.floor(time / size) * size;
  }
  if (lastDaily === null) return Math.floor(time / DAY) * DAY;
  return lastDaily + Math.floor((time - lastDaily) / DAY) * DAY;
}

export function combine(history: Candle | undefined, live: readonly Candle[], bucket: number): Candle | undefined {
  if (live.length === 0) return history;
  let open = history?.open ?? live[0]!.open;
  let high = history?.high ?? -Infinity;
  let low = history?.low ?? Infinity;
  let volume = 0;
  for (const b of live) {
    high = Math.max(high, b.high);
    low = Math.min(low, b.low);
    volume += b.volume;
  }
  if (!history) open = live[0]!.open;
  return { time: bucket, open, high, low, close: live[live.length - 1]!.close, volume: Math.max(volume, history?.volume ?? 0) };
}

/** History followed by the live bars, at the interval, oldest first; at most `max` (the newest). */
export function mergeBars(history: readonly Candle[], live: readonly Candle[], interval: ChartInterval, max: number): Candle[] {
  const lastDaily = interval === '1d' && history.length > 0 ? history[history.length - 1]!.time : null;
  const buckets = new Map<number, Candle>();
  for (const c of history) buckets.set(c.time, c);
  const liveByBucket = new Map<number, Candle[]>();
  for (const b of live) {
    const k = bucketOf(b.time, interval, lastDaily);
    const list = liveByBucket.get(k) ?? [];
    list.push(b);
    liveByBucket.set(k, list);
  }
  for (const [k, list] of liveByBucket) buckets.set(k, combine(buckets.get(k), list, k)!);
  const out = [...buckets.values()].sort((a, b) => a.time - b.time);
  return out.length > max ? out.slice(out.length - max) : out;
}
