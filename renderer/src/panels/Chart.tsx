/** Intraday candles for the selected symbol: chart bars from the host plus the live last price. */
import { CandlestickSeries, ColorType, createChart, type IChartApi, type ISeriesApi, type UTCTimestamp } from 'lightweight-charts';
import { useEffect, useRef, useState } from 'react';
import type { Candle } from '../../../shared/market.js';
import { getQuote, subscribeQuote } from '../store/quotes.js';

interface Props {
  symbol: string;
  bars: Candle[];
  quoteId: string;
}

const toTime = (ms: number) => Math.floor(ms / 1000) as UTCTimestamp;

export function Chart({ symbol, bars, quoteId }: Props) {
  const box = useRef<HTMLDivElement>(null);
  const chart = useRef<IChartApi | null>(null);
  const series = useRef<ISeriesApi<'Candlestick'> | null>(null);
  const [drawn, setDrawn] = useState(0);

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
    series.current = c.addSeries(CandlestickSeries, { upColor: '#22c55e', downColor: '#ef4444', borderVisible: false, wickUpColor: '#22c55e', wickDownColor: '#ef4444' });
    return () => {
      c.remove();
      chart.current = null;
      series.current = null;
    };
  }, []);

  useEffect(() => {
    const s = series.current;
    if (!s) return;
    const data = bars.map((b) => ({ time: toTime(b.time), open: b.open, high: b.high, low: b.low, close: b.close }));
    s.setData(data);
    setDrawn(data.length);
    if (data.length > 0) chart.current?.timeScale().scrollToRealTime();
  }, [bars, symbol]);

  // The live last price moves the newest candle between bar updates.
  useEffect(() => {
    const last = bars[bars.length - 1];
    if (!last) return;
    let candle = { time: toTime(last.time), open: last.open, high: last.high, low: last.low, close: last.close };
    return subscribeQuote(quoteId, () => {
      const price = getQuote(quoteId)?.fields.last_price;
      if (typeof price !== 'number' || !series.current) return;
      candle = { ...candle, close: price, high: Math.max(candle.high, price), low: Math.min(candle.low, price) };
      series.current.update(candle);
    });
  }, [bars, quoteId]);

  return (
    <div className="panel chart-panel" data-bars={drawn}>
      <div className="panel-title">
        {symbol} · 1-minute bars {drawn === 0 ? <span className="muted">(waiting for the first bar…)</span> : null}
      </div>
      <div className="chart" ref={box} aria-label={`Chart ${symbol}`} role="img" />
    </div>
  );
}
