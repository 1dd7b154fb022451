/** Application state other than live quotes: status, settings, watchlists, selection, messages. */
import { createStore } from 'zustand/vanilla';
import { useStore } from 'zustand';
import type { SettingsView, SymbolDetail, UserMessage, Watchlist } from '../../../shared/api.js';
import type { EngineStatus } from '../../../shared/engine-events.js';

export interface AppState {
  bridgeConnected: boolean;
  status: EngineStatus | null;
  settings: SettingsView | null;
  watchlists: Watchlist[];
  activeWatchlistId: string;
  selected: string | null;
  detail: SymbolDetail | null;
  messages: (UserMessage & { id: number })[];
  exportProgress: { fraction: number; done: boolean } | null;
  dialog: 'settings' | 'csv' | 'about' | null;
}

export const appStore = createStore<AppState>(() => ({
  bridgeConnected: false,
  status: null,
  settings: null,
  watchlists: [],
  activeWatchlistId: '',
  selected: null,
  detail: null,
  messages: [],
  exportProgress: null,
  dialog: null,
}));

export function useApp<T>(select: (s: AppState) => T): T {
  return useStore(appStore, select);
}

let messageId = 0;
export function pushMessage(m: UserMessage): void {
  const list = [...appStore.getState().messages, { ...m, id: ++messageId }];
  appStore.setState({ messages: list.slice(-8) });
  // Information fades; warnings and errors stay until dismissed.
  if (m.level === 'info') setTimeout(() => dismissMessage(messageId), 6000);
}

export function dismissMessage(id: number): void {
  appStore.setState({ messages: appStore.getState().messages.filter((m) => m.id !== id) });
}

export const activeWatchlist = (s: AppState): Watchlist | undefined => s.watchlists.find((w) => w.id === s.activeWatchlistId);
