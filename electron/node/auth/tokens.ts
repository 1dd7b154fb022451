/** The token file contract (README.md "Token file"): JSON, ms epoch times, mode 0600, never printed. */
export type TokenProvider = 'schwab' | 'tdameritrade';

export interface TokenSet {
  provider: TokenProvider;
  access_token: string;
  refresh_token: string;
  /** ms epoch */
  expires_at: number;
  /** ms epoch; 0 when the server did not say */
  refresh_expires_at: number;
}

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** Validates untrusted JSON (a token file on disk) into a TokenSet or explains what is wrong. */
export function parseTokenSet(value: unknown): TokenSet {
  if (!isObject(value)) throw new Error('not a JSON object');
  const { provider, access_token, refresh_token, expires_at, refresh_expires_at } = value;
  if (provider !== 'schwab' && provider !== 'tdameritrade') throw new Error('provider must be schwab or tdameritrade');
  if (typeof access_token !== 'string' || access_token === '') throw new Error('access_token missing');
  if (typeof refresh_token !== 'string' || refresh_token === '') throw new Error('refresh_token missing');
  if (typeof expires_at !== 'number' || !Number.isFinite(expires_at)) throw new Error('expires_at must be a number');
  const refreshExpiry = refresh_expires_at ?? 0;
  if (typeof refreshExpiry !== 'number' || !Number.isFinite(refreshExpiry)) {
    throw new Error('refresh_expires_at must be a number');
  }
  return { provider, access_token, refresh_token, expires_at, refresh_expires_at: refreshExpiry };
}
