/** The chart's bar intervals: 1, 5 and 15 minutes, and daily. */
import * as v from 'valibot';

export const CHART_INTERVALS = ['1m', '5m', '15m', '1d'] as const;
export const ChartIntervalSchema = v.picklist(CHART_INTERVALS, 'the interval is 1m, 5m, 15m or 1d');
export type ChartInterval = (typeof CHART_INTERVALS)[number];

export const DEFAULT_INTERVAL: ChartInterval = '1m';

/** Minutes per bar; daily bars are one trading day (a calendar day's length is only an upper bound). */
export const INTERVAL_MINUTES: Record<ChartInterval, number> = { '1m': 1, '5m': 5, '15m': 15, '1d': 1440 };

export const INTERVAL_LABEL: Record<ChartInterval, string> = { '1m': '1-minute', '5m': '5-minute', '15m': '15-minute', '1d': 'daily' };
