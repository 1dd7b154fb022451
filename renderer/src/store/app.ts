/** Application state other than live quotes: status, settings, watchlists, selection, messages. */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { SettingsView, UserMessage, Watchlist } from '../../../shared/api.js';
import type { EngineStatus } from '../../../shared/engine-events.js';
import { MESSAGE_MAX, safeText } from '../../../shared/safe-text.js';
import { DEFAULT_INTERVAL, type ChartInterval } from '../../../shared/chart-interval.js';
import type { DetailState } from './detail.js';

export interface AppState {
  bridgeConnected: boolean;
  status: EngineStatus | null;
  settings: SettingsView | null;
  watchlists: Watchlist[];
  /** The tab shown: this window's choice, not the host's (another window may show another). */
  activeWatchlistId: string;
  selected: string | null;
  detail: DetailState | null;
  /** The chart's bar interval (this window's choice). */
  chartInterval: ChartInterval;
  messages: (UserMessage & { id: number })[];
  exportProgress: { fraction: number; done: boolean } | null;
  dialog: 'settings' | 'csv' | 'about' | 'columns' | null;
}

const ACTIVE_KEY = 'tapedeck.activeWatchlist';

function storedActive(): string {
  try {
    return localStorage.getItem(ACTIVE_KEY) ?? '';
  } catch {
    return '';
  }
}

export const appStore = createStore<AppState>(() => ({
  bridgeConnected: false,
  status: null,
  settings: null,
  watchlists: [],
  activeWatchlistId: storedActive(),
  selected: null,
  detail: null,
  chartInterval: DEFAULT_INTERVAL,
  messages: [],
  exportProgress: null,
  dialog: null,
}));

export function useApp<T>(select: (s: AppState) => T): T {
  return useStore(appStore, select);
}

/** New lists from the host: the active tab stays where it was when it still exists. */
export function setWatchlists(lists: Watchlist[]): void {
  const active = appStore.getState().activeWatchlistId;
  appStore.setState({ watchlists: lists, activeWatchlistId: lists.some((l) => l.id === active) ? active : (lists[0]?.id ?? '') });
}

export function setActiveWatchlist(id: string): void {
  appStore.setState({ activeWatchlistId: id });
  try {
    localStorage.setItem(ACTIVE_KEY, id);
  } catch {
    // Storage may be unavailable (private mode): the choice then lasts for this window only.
  }
}

let messageId = 0;
/** Shows a message; its text is escaped and cut here too, whatever its source (it may quote a server). */
export function pushMessage(m: UserMessage): void {
  const id = ++messageId;
  const list = [...appStore.getState().messages, { ...m, text: safeText(m.text, MESSAGE_MAX), id }];
  appStore.setState({ messages: list.slice(-8) });
  // Information fades; warnings and errors stay until dismissed.
  if (m.level === 'info') setTimeout(() => dismissMessage(id), 6000);
}

export function dismissMessage(id: number): void {
  appStore.setState({ messages: appStore.getState().messages.filter((m) => m.id !== id) });
}

export const activeWatchlist = (s: AppState): Watchlist | undefined => s.watchlists.find((w) => w.id === s.activeWatchlistId);
