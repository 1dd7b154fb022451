/** Renderer entry: connect to the host (IPC or WebSocket), load the snapshot, apply pushed events. */
import { createRoot } from 'react-dom/client';
import { App } from './App.js';
import { connectApi } from './api/connect.js';
import { setApi } from './api/instance.js';
import { connectAlerts } from './store/alerts.js';
import { appStore, pushMessage, setWatchlists } from './store/app.js';
import { withPendingColumns } from './store/columns.js';
import { applyDetailEvent } from './store/focus.js';
import { applyBatch, replaceAll } from './store/quotes.js';
import './app.css';

const api = connectApi((s) => {
  const wasConnected = appStore.getState().bridgeConnected;
  appStore.setState({ bridgeConnected: s.connected });
  // After the server comes back, state may have moved on: reload it.
  if (s.connected && !wasConnected && appStore.getState().status) void loadSnapshot();
});
setApi(api);

api.on('engine:status', (status) => appStore.setState({ status }));
api.on('engine:quotes', (batch) => applyBatch(batch));
api.on('engine:message', (m) => pushMessage(m));
api.on('settings:changed', (settings) => appStore.setState({ settings }));
api.on('watchlists:changed', (lists) => setWatchlists(withPendingColumns(lists)));
api.on('export:progress', (p) => appStore.setState({ exportProgress: p }));
api.on('market:bars', applyDetailEvent);
api.on('market:trades', applyDetailEvent);
const loadAlerts = connectAlerts(api);

async function loadSnapshot(): Promise<void> {
  try {
    const snap = await api.invoke('app:snapshot', null);
    replaceAll(snap.quotes);
    appStore.setState({ status: snap.status, settings: snap.settings });
    setWatchlists(snap.watchlists);
    await loadAlerts();
  } catch (err) {
    pushMessage({ level: 'error', text: `Cannot load the app state: ${(err as Error).message}`, at: Date.now() });
  }
}

void loadSnapshot();
createRoot(document.getElementById('root')!).render(<App />);
