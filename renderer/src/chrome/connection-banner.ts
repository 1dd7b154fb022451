/**
 * One banner for the connection, updated in place as its state changes (instead of a new notice per
 * drop and reconnect piling up): nothing while streaming or idle, otherwise what is happening now.
 */
import type { EngineStatus } from '../../../shared/engine-events.js';

export interface Banner {
  level: 'info' | 'warning' | 'error';
  text: string;
  /** The one thing that helps: logging in again (the broker refused the saved login). */
  action?: 'login';
}

export function connectionBanner(status: EngineStatus | null, bridgeConnected: boolean, now: number): Banner | null {
  if (!bridgeConnected && status) return { level: 'warning', text: 'Lost the connection to Tapedeck: reconnecting…' };
  if (!status) return null;
  const why = status.detail ? `: ${status.detail}` : '';
  switch (status.connection) {
    case 'waiting': {
      const wait = status.retryAt === null ? '' : ` in ${Math.max(0, Math.ceil((status.retryAt - now) / 1000))} s`;
      return { level: 'warning', text: `Disconnected${why}. Retrying${wait}.` };
    }
    case 'failed':
    case 'stopped':
      if (status.loginRequired) {
        const reason = status.detail ? ` (${status.detail.replace(/^log in again( \([^)]*\))?: /i, '')})` : '';
        return { level: 'error', text: `Streaming stopped: the broker no longer accepts the saved login${reason}. Log in again to go on.`, action: 'login' };
      }
      return status.detail ? { level: 'error', text: `Streaming stopped${why}` } : null;
    case 'connecting':
    case 'logging-in':
    case 'subscribing':
      return status.reconnects > 0 || status.frames > 0 ? { level: 'info', text: `Reconnecting (${status.connection.replace('-', ' ')})…` } : null;
    default:
      return null;
  }
}
