/**
 * One banner for the connection, updated in place as its state changes (instead of a new notice per
 * drop and reconnect piling up): nothing while streaming or idle, otherwise what is happening now.
 */
import type { EngineStatus } from '../../../shared/engine-events.js';

export interface Banner {
  level: 'info' | 'warning' | 'error';
  text: string;
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
      return status.detail ? { level: 'error', text: `Streaming stopped${why}` } : null;
    case 'connecting':
    case 'logging-in':
    case 'subscribing':
      return status.reconnects > 0 || status.frames > 0 ? { level: 'info', text: `Reconnecting (${status.connection.replace('-', ' ')})…` } : null;
    default:
      return null;
  }
}
