/** Selecting a symbol: ask the host to focus it, take its snapshot, then apply its appends. */
import type { Events } from '../../../shared/api.js';
import { attempt } from '../api/instance.js';
import { appStore } from './app.js';
import { fromSnapshot, hold, withBars, withTrades } from './detail.js';

let held: ReturnType<typeof hold> | null = null;

export async function selectSymbol(symbol: string): Promise<void> {
  if (appStore.getState().selected === symbol) return;
  held = null;
  appStore.setState({ selected: symbol, detail: null });
  const snapshot = await attempt('market:focus', { symbol });
  if (appStore.getState().selected !== symbol || !snapshot) return;
  appStore.setState({ detail: fromSnapshot(snapshot, held) });
  held = null;
}

export function applyDetailEvent(event: Events['market:bars'] | Events['market:trades']): void {
  const { selected, detail } = appStore.getState();
  if (event.symbol !== selected) return;
  if (!detail) {
    held = hold(held, event);
    return;
  }
  appStore.setState({ detail: 'bars' in event ? withBars(detail, event.bars) : withTrades(detail, event.trades) });
}
