/** Alert rules and recent firings as the host last said, whether the panel is open, and the last announcement. */
import { useStore } from 'zustand';
import { createStore } from 'zustand/vanilla';
import type { AlertFiring, AlertsState } from '../../../shared/alerts.js';
import type { TapedeckApi } from '../../../shared/api.js';
import { notifyFiring } from '../chrome/alert-notify.js';

export interface AlertsView extends AlertsState {
  panelOpen: boolean;
  /** What the live region says about the last firing (screen readers announce it). */
  announcement: string;
}

export const alertsStore = createStore<AlertsView>(() => ({ rules: [], firings: [], panelOpen: false, announcement: '' }));

export function useAlerts<T>(select: (s: AlertsView) => T): T {
  return useStore(alertsStore, select);
}

export const openAlertsPanel = (open: boolean) => alertsStore.setState({ panelOpen: open });

/** The firing as one sentence: "Alert fired: IBM last > 0 (last 123.45)". */
export function describeFiring(f: AlertFiring): string {
  return `Alert fired: ${f.text} (value ${f.value})`;
}

/** Subscribes to the host's alert events and loads the current rules. */
export function connectAlerts(api: TapedeckApi): () => Promise<void> {
  api.on('alerts:changed', (s) => alertsStore.setState({ rules: s.rules, firings: s.firings }));
  api.on('alert:fired', (f) => {
    alertsStore.setState({ announcement: describeFiring(f) });
    notifyFiring(f);
  });
  const load = async () => {
    const s = await api.invoke('alerts:list', null);
    alertsStore.setState({ rules: s.rules, firings: s.firings });
  };
  return load;
}
