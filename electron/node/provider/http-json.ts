/** A Bearer-authenticated GET returning JSON, with errors phrased for a user (no tokens in messages). */
import { describeFetchFailure } from '../auth/endpoints.js';
import { trustedFetch } from '../net/tls-trust.js';
import { ProviderError } from './types.js';

/** A non-2xx answer; `retryAfterMs` from a Retry-After header (429, 503), when one was sent. */
export class HttpStatusError extends ProviderError {
  constructor(
    message: string,
    readonly status: number,
    readonly retryAfterMs: number | null = null,
  ) {
    super(message);
  }
}

export class UnauthorizedError extends HttpStatusError {}

/** Retry-After is seconds or an HTTP date (RFC 9110 §10.2.3); null when absent or unreadable. */
export function retryAfterMs(header: string | null, now = Date.now()): number | null {
  if (header === null || header.trim() === '') return null;
  const text = header.trim();
  if (/^\d+$/.test(text)) return Number(text) * 1000;
  const at = Date.parse(text);
  return Number.isNaN(at) ? null : Math.max(0, at - now);
}

export async function getJson(url: string, accessToken: string): Promise<unknown> {
  let res: Awaited<ReturnType<typeof trustedFetch>>;
  try {
    res = await trustedFetch(url, { headers: { Authorization: `Bearer ${accessToken}`, Accept: 'application/json' } });
  } catch (err) {
    throw new ProviderError(describeFetchFailure(url, err));
  }
  const text = await res.text();
  const path = new URL(url).pathname;
  if (res.status === 401) throw new UnauthorizedError(`${path} refused the access token (401)`, 401);
  if (!res.ok) throw new HttpStatusError(`${path} answered HTTP ${res.status}`, res.status, retryAfterMs(res.headers.get('retry-after')));
  try {
    return JSON.parse(text);
  } catch {
    throw new ProviderError(`${path} did not return JSON`);
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
