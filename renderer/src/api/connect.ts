/** Picks the transport: the Electron preload's IPC bridge when present, else the serve WebSocket. */
import type { TapedeckApi } from '../../../shared/api.js';
import { createWsApi, type BridgeState } from './ws-adapter.js';

export function connectApi(onBridgeState: (s: BridgeState) => void): TapedeckApi {
  if (window.tapedeck) {
    onBridgeState({ connected: true });
    return window.tapedeck;
  }
  // The per-launch secret already became an HttpOnly cookie; keep it out of the address bar.
  const url = new URL(location.href);
  if (url.searchParams.has('token')) {
    url.searchParams.delete('token');
    history.replaceState(null, '', url.pathname + url.search + url.hash);
  }
  return createWsApi(onBridgeState);
}
