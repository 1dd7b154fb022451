/**
 * Provider endpoints. Every one is configurable so the same client runs against the real service,
 * the simulator or a test server (docs/ARCHITECTURE.md "Providers").
 */
import type { Dialect } from '../../../shared/protocol/services.js';

export interface Endpoints {
  /** Base of the browser-facing authorize page. */
  authBase: string;
  /** Base of the token endpoint and the principals / preferences endpoint. */
  apiBase: string;
}

export const DEFAULT_ENDPOINTS: Record<Dialect, Endpoints> = {
  // docs/protocol/schwab.md §1.1: authorize and token both live on api.schwabapi.com.
  schwab: { authBase: 'https://api.schwabapi.com', apiBase: 'https://api.schwabapi.com' },
  // docs/protocol/tdameritrade.md §1.1 / §1.2.
  tdameritrade: { authBase: 'https://auth.tdameritrade.com', apiBase: 'https://api.tdameritrade.com' },
};

export const PATHS = {
  schwab: { authorize: '/v1/oauth/authorize', token: '/v1/oauth/token', principals: '/trader/v1/userPreference' },
  tdameritrade: { authorize: '/auth', token: '/v1/oauth2/token', principals: '/v1/userprincipals' },
} as const;

export function endpointUrl(base: string, path: string): string {
  return base.replace(/\/+$/, '') + path;
}

/**
 * Why a request to `url` did not get an answer, in words ("cannot reach http://h:1: connection
 * refused"), from the error fetch throws (its `cause` carries the system code).
 */
export function describeFetchFailure(url: string, err: unknown): string {
  const u = new URL(url);
  const cause = (err as { cause?: { code?: string; message?: string } }).cause;
  const code = cause?.code ?? '';
  const message = cause?.message ?? (err as Error).message ?? String(err);
  let why: string;
  switch (code) {
    case 'ENOTFOUND':
      why = `no such host ${u.hostname}`;
      break;
    case 'EAI_AGAIN':
      why = `cannot look up ${u.hostname} (no answer from DNS)`;
      break;
    case 'ECONNREFUSED':
      why = 'connection refused';
      break;
    case 'ECONNRESET':
      why = 'the connection was reset';
      break;
    case 'ETIMEDOUT':
    case 'UND_ERR_CONNECT_TIMEOUT':
      why = 'timed out connecting';
      break;
    case 'EHOSTUNREACH':
      why = 'host unreachable';
      break;
    case 'ENETUNREACH':
      why = 'network unreachable';
      break;
    case 'EPROTO':
    case 'ERR_SSL_WRONG_VERSION_NUMBER':
      why = `not an ${u.protocol === 'https:' ? 'https' : 'http'} server there (${message})`;
      break;
    default:
      if (/^bad port$/i.test(message)) {
        // fetch (undici) refuses the Fetch standard's "bad ports" (9, 25, 6000…) before connecting.
        why = `port ${u.port} is one fetch refuses to use (a reserved non-web port); choose another`;
      } else if (/CERT|ERR_TLS|SELF_SIGNED/.test(code)) {
        why = `its TLS certificate is not accepted (${code})`;
      } else {
        why = code || message;
      }
  }
  return `cannot reach ${u.origin}: ${why}`;
}
