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

/** Validates a user-supplied base URL (http or https, no query) and returns it normalised. */
export function parseBaseUrl(text: string, flag: string): string {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new Error(`${flag}: '${text}' is not a URL (expected e.g. https://api.schwabapi.com)`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new Error(`${flag}: '${text}' must be an http:// or https:// URL`);
  }
  if (url.search || url.hash) throw new Error(`${flag}: '${text}' must not carry a query or fragment`);
  return url.toString().replace(/\/+$/, '');
}
