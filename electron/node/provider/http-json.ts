/** A Bearer-authenticated GET returning JSON, with errors phrased for a user (no tokens in messages). */
import { describeFetchFailure } from '../auth/endpoints.js';
import { trustedFetch } from '../net/tls-trust.js';
import { ProviderError } from './types.js';

export class UnauthorizedError extends ProviderError {}

export async function getJson(url: string, accessToken: string): Promise<unknown> {
  let res: Awaited<ReturnType<typeof trustedFetch>>;
  try {
    res = await trustedFetch(url, { headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' } });
  } catch (err) {
    throw new ProviderError(describeFetchFailure(url, err));
  }
  const text = await res.text();
  if (res.status === 401) throw new UnauthorizedError(`${new URL(url).pathname} refused the access token (401)`);
  if (!res.ok) throw new ProviderError(`${new URL(url).pathname} answered HTTP ${res.status}`);
  try {
    return JSON.parse(text);
  } catch {
    throw new ProviderError(`${new URL(url).pathname} did not return JSON`);
  }
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function requireString(obj: Record<string, unknown>, key: string, where: string): string {
  const v = obj[key];
  if (typeof v !== 'string' || v === '') throw new ProviderError(`${where}: '${key}' is missing`);
  return v;
}
