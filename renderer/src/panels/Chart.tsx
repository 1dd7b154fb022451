/**
 * Candles for the selected symbol at the chosen interval (1, 5, 15 minutes or daily): the
 * snapshot's bars (the provider's price history, then the live bars) drawn once, then each new or
 * updated bar applied with `series.update`, and the live last price moving the newest candle. The
 * view is never reset while the symbol trades, so the user can scroll back and zoom.
 */
import { CandlestickSeries, ColorType, createChart, type IChartApi, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts';
import { useEffect, useRef, useState } from 'react';
import { CHART_INTERVALS, INTERVAL_LABEL, type ChartInterval } from '../../../shared/chart-interval.js';
import type { Candle } from '../../../shared/market.js';
import type { DetailState } from '../store/detail.js';
import { useApp } from '../store/app.js';
import { setChartInterval } from '../store/focus.js';
import { getQuote, subscribeQuote } from '../store/quotes.js';
import { useTimeZone } from '../store/time-zone.js';
import { axisTime, axisTimes, chartTimeOptions } from './chart-time.js';

interface Props {
  symbol: string;
  detail: DetailState | null;
  quoteId: string;
}


const SHORT: Record<ChartInterval, string> = { '1m': '1m', '5m': '5m', '15m': '15m', '1d': '1D' };

/** The most common step between bars, in seconds (sessions leave longer gaps between days); 0 with fewer than two bars. */
export function barSpacing(bars: readonly Candle[]): number {
  const counts = new Map<number, number>();
  for (let i = 1; i < bars.length; i++) {
    const d = Math.round((bars[i]!.time - bars[i - 1]!.time) / 1000);
    counts.set(d, (counts.get(d) ?? 0) + 1);
  }
  let best = 0;
  let n = 0;
  for (const [d, c] of counts) if (c > n || (c === n && d < best)) [best, n] = [d, c];
  return best;
}

/** What the chart shows, in words, for people who cannot see it: how many bars, last, change and range. */
export function describeBars(symbol: string, bars: readonly Candle[], interval: ChartInterval = '1m', historyBars = 0): string {
  if (bars.length === 0) return `${symbol} chart: no bars yet`;
  const last = bars[bars.length - 1]!.close;
  const first = bars[0]!.open;
  const low = Math.min(...bars.map((b) => b.low));
  const high = Math.max(...bars.map((b) => b.high));
  const change = first === 0 ? 0 : ((last - first) / first) * 100;
  const history = historyBars > 0 ? ` (${historyBars} from price history)` : '';
  return `${symbol} chart, ${bars.length} ${INTERVAL_LABEL[interval]} bars${history}: last ${last}, ${change >= 0 ? 'up' : 'down'} ${Math.abs(change).toFixed(2)} % over them, range ${low} to ${high}`;
}
type Point = { time: UTCTimestamp; open: number; high: number; low: number; close: number };
const toPoint = (b: Candle, time: UTCTimestamp): Point => ({ time, open: b.open, high: b.high, low: b.low, close: b.close });

export function Chart({ symbol, detail, quoteId }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const series = useRef<ISeriesApi<'Candlestick'> | null>(null);
  /** The snapshot currently drawn (the bars array of the symbol's first state). */
  const drawnFrom = useRef<Candle[] | null>(null);
  const newest = useRef<Point | null>(null);
  const [drawn, setDrawn] = useState(0);
  /** The user moved the view off the newest bar (back in time or ahead): new bars must not pull it back. */
  const [scrolledBack, setScrolledBack] = useState(false);
  const interval = useApp((s) => s.chartInterval);

  useEffect(() => {
    if (!box.current) return;
    const c = createChart(box.current, {
      autoSize: true,
      // The logo injects a <style> element, which the CSP forbids; attribution is in About instead.
      layout: { background: { type: ColorType.Solid, color: '#0d131c' }, textColor: '#9aa6b2', fontSize: 11, attributionLogo: false },
      grid: { vertLines: { color: '#1a2430' }, horzLines: { color: '#1a2430' } },
      timeScale: { timeVisible: true, secondsVisible: false, borderColor: '#243040' },
      rightPriceScale: { borderColor: '#243040' },
    });
    chart.current = c;
    // A couple of bars of slack: returning to real time settles within about half a bar of it.
    c.timeScale().subscribeVisibleLogicalRangeChange(() => setScrolledBack(Math.abs(c.timeScale().scrollPosition()) > 2));
    series.current = c.addSeries(CandlestickSeries, { upColor: '#22c55e', downColor: '#ef4444', borderVisible: false, wickUpColor: '#22c55e', wickDownColor: '#ef4444' });
    return () => {
      c.remove();
      chart.current = null;
      series.current = null;
    };
  }, []);

  // Axis and crosshair times in the zone chosen in Settings (chart-time.ts): another zone redraws the bars.
  const { zone, label: zoneLabel } = useTimeZone();
  useEffect(() => chart.current?.applyOptions(chartTimeOptions(zoneLabel)), [zoneLabel]);
  const drawnZone = useRef(zone);

  useEffect(() => {
    const s = series.current;
    if (!s) return;
    if (!detail || detail.symbol !== symbol) {
      s.setData([]);
      drawnFrom.current = null;
      newest.current = null;
      setDrawn(0);
      return;
    }
    if (detail.version === 0 || drawnFrom.current === null || drawnZone.current !== zone) {
      // A new symbol's snapshot (or another zone): draw it whole and show its latest bars.
      const times = axisTimes(detail.bars.map((b) => b.time), zone);
      const data = detail.bars.map((b, i) => toPoint(b, times[i]!));
      drawnZone.current = zone;
      s.setData(data);
      drawnFrom.current = detail.bars;
      newest.current = data[data.length - 1] ?? null;
      if (data.length > 0) chart.current?.timeScale().scrollToRealTime();
    } else {
      for (const bar of detail.lastBars) {
        // Never behind the newest drawn bar (the repeated hour of a daylight-saving change).
        const point = toPoint(bar, Math.max(axisTime(bar.time, zone), newest.current?.time ?? 0) as UTCTimestamp);
        s.update(point);
        newest.current = point;
      }
    }
    setDrawn(detail.bars.length);
  }, [detail, symbol, zone]);

  // The live last price moves the newest candle between bar updates.
  useEffect(
    () =>
      subscribeQuote(quoteId, () => {
        const price = getQuote(quoteId)?.fields.last_price;
        const candle = newest.current;
        if (typeof price !== 'number' || !candle || !series.current) return;
        newest.current = { ...candle, close: price, high: Math.max(candle.high, price), low: Math.min(candle.low, price) };
        series.current.update(newest.current);
      }),
    [quoteId],
  );

  const shown = detail?.symbol === symbol ? detail : null;
  return (
    <div
      className="panel chart-panel"
      data-bars={drawn}
      data-history-bars={shown?.historyBars ?? 0}
      data-interval={shown?.interval ?? interval}
      data-spacing={shown ? barSpacing(shown.bars) : 0}
    >
      <div className="panel-title">
        {symbol} · {INTERVAL_LABEL[interval]} bars {drawn === 0 ? <span className="muted">(waiting for the first bar…)</span> : null}
        <span className="chart-intervals" role="group" aria-label="Bar interval">
          {CHART_INTERVALS.map((i) => (
            <button key={i} type="button" aria-pressed={i === interval} title={`${INTERVAL_LABEL[i]} bars`} onClick={() => setChartInterval(i)}>
              {SHORT[i]}
            </button>
          ))}
        </span>
        {scrolledBack ? (
          <button type="button" className="chart-latest" onClick={() => chart.current?.timeScale().scrollToRealTime()}>
            Latest ⇥
          </button>
        ) : null}
      </div>
      <div className="chart" ref={box} aria-label={describeBars(symbol, shown?.bars ?? [], shown?.interval, shown?.historyBars)} role="img" />
    </div>
  );
}
