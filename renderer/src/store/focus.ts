/**
 * Selecting a symbol (or another chart interval): ask the host to focus it, take its snapshot
 * (price history and live bars at the interval, and the tape), then apply its appends.
 */
import type { ChartInterval } from '../../../shared/chart-interval.js';
import type { Events } from '../../../shared/api.js';
import { attempt } from '../api/instance.js';
import { appStore } from './app.js';
import { fromSnapshot, hold, withBars, withTrades } from './detail.js';

let held: ReturnType<typeof hold> | null = null;

export async function selectSymbol(symbol: string, interval: ChartInterval = appStore.getState().chartInterval): Promise<void> {
  const state = appStore.getState();
  if (state.selected === symbol && state.chartInterval === interval) return;
  held = null;
  appStore.setState({ selected: symbol, chartInterval: interval, detail: null });
  const snapshot = await attempt('market:focus', { symbol, interval });
  const now = appStore.getState();
  if (now.selected !== symbol || now.chartInterval !== interval || !snapshot) return;
  appStore.setState({ detail: fromSnapshot(snapshot, held) });
  held = null;
}

/** Another bar interval for the chart: the focused symbol is focused again at it. */
export function setChartInterval(interval: ChartInterval): void {
  const { selected } = appStore.getState();
  if (selected) void selectSymbol(selected, interval);
  else appStore.setState({ chartInterval: interval });
}

export function applyDetailEvent(event: Events['market:bars'] | Events['market:trades']): void {
  const { selected, detail, chartInterval } = appStore.getState();
  if (event.symbol !== selected) return;
  // Bars pushed for the interval shown before a switch are not this chart's.
  if ('bars' in event && event.interval !== chartInterval) return;
  if (!detail) {
    held = hold(held, event);
    return;
  }
  appStore.setState({ detail: 'bars' in event ? withBars(detail, event.bars) : withTrades(detail, event.trades) });
}
