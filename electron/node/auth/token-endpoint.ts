/**
 * The token endpoint: authorization-code exchange and refresh, in each dialect's form
 * (Schwab: Basic auth with app key/secret, docs/protocol/schwab.md §1.1; TD: client_id@AMER.OAUTHAP in the form body,
 * access_type=offline to rotate the refresh token, docs/protocol/tdameritrade.md §1.2).
 */
import type { Dialect } from '../../../shared/protocol/services.js';
import { describeFetchFailure, endpointUrl, PATHS } from './endpoints.js';
import { LoginRequiredError, OAuthError, TokenRequestRefused, tdClientId } from './oauth-flow.js';
import type { TokenSet } from './tokens.js';
import { safeText } from '../../../shared/safe-text.js';
import { trustedFetch } from '../net/tls-trust.js';

export interface AppCredentials {
  appKey: string;
  appSecret: string;
}

export interface TokenRequestContext {
  dialect: Dialect;
  apiBase: string;
  app: AppCredentials;
  now?: () => number;
}

/** docs/protocol/schwab.md §1.3: the refresh token lives ~7 days from the browser authorization and is not extended. */
const SCHWAB_REFRESH_LIFETIME_MS = 7 * 24 * 3600 * 1000;

interface TokenResponse {
  access_token: string;
  refresh_token?: string;
  expires_in: number;
  refresh_token_expires_in?: number;
}

function parseTokenResponse(body: unknown): TokenResponse {
  if (typeof body !== 'object' || body === null) throw new OAuthError('token endpoint returned no JSON object');
  const b = body as Record<string, unknown>;
  if (typeof b.access_token !== 'string' || b.access_token === '') {
    throw new OAuthError('token endpoint response has no access_token');
  }
  const expiresIn = typeof b.expires_in === 'number' && b.expires_in > 0 ? b.expires_in : 1800;
  return {
    access_token: b.access_token,
    refresh_token: typeof b.refresh_token === 'string' && b.refresh_token !== '' ? b.refresh_token : undefined,
    expires_in: expiresIn,
    refresh_token_expires_in: typeof b.refresh_token_expires_in === 'number' ? b.refresh_token_expires_in : undefined,
  };
}

function describeFailure(status: number, body: unknown): string {
  if (typeof body === 'object' && body !== null) {
    const b = body as Record<string, unknown>;
    // Server text, printed by the CLI and shown in the window: escaped and cut.
    const parts = [b.error, b.error_description].filter((p): p is string => typeof p === 'string').map((p) => safeText(p, 200));
    if (parts.length > 0) return `${status} ${parts.join(': ')}`;
  }
  return `HTTP ${status}`;
}

async function postToken(ctx: TokenRequestContext, form: Record<string, string>): Promise<TokenResponse> {
  const url = endpointUrl(ctx.apiBase, PATHS[ctx.dialect].token);
  const headers: Record<string, string> = { 'Content-Type': 'application/x-www-form-urlencoded' };
  if (ctx.dialect === 'schwab') {
    headers.Authorization = 'Basic ' + Buffer.from(`${ctx.app.appKey}:${ctx.app.appSecret}`).toString('base64');
  }
  let res: Awaited<ReturnType<typeof trustedFetch>>;
  try {
    res = await trustedFetch(url, { method: 'POST', headers, body: new URLSearchParams(form).toString() });
  } catch (err) {
    throw new OAuthError(`${describeFetchFailure(url, err)} (the token endpoint)`);
  }
  const text = await res.text();
  let body: unknown = null;
  try {
    body = JSON.parse(text);
  } catch {
    // A non-JSON error page; described by status below.
  }
  if (!res.ok) throw new TokenRequestRefused(res.status, `token request refused: ${describeFailure(res.status, body)}`);
  return parseTokenResponse(body);
}

export async function exchangeCode(ctx: TokenRequestContext, code: string, redirectUri: string): Promise<TokenSet> {
  const now = (ctx.now ?? Date.now)();
  const form: Record<string, string> =
    ctx.dialect === 'schwab'
      ? { grant_type: 'authorization_code', code, redirect_uri: redirectUri }
      : {
          grant_type: 'authorization_code',
          access_type: 'offline',
          code,
          client_id: tdClientId(ctx.app.appKey),
          redirect_uri: redirectUri,
        };
  const r = await postToken(ctx, form);
  if (!r.refresh_token) throw new OAuthError('token endpoint returned no refresh_token for the authorization code');
  return {
    provider: ctx.dialect,
    access_token: r.access_token,
    refresh_token: r.refresh_token,
    expires_at: now + r.expires_in * 1000,
    refresh_expires_at: r.refresh_token_expires_in
      ? now + r.refresh_token_expires_in * 1000
      : ctx.dialect === 'schwab'
        ? now + SCHWAB_REFRESH_LIFETIME_MS
        : 0,
  };
}

/** Refreshes the access token; a rotated refresh token replaces the old one, otherwise the old one is kept. */
export async function refreshTokens(ctx: TokenRequestContext, current: TokenSet): Promise<TokenSet> {
  const now = (ctx.now ?? Date.now)();
  const form: Record<string, string> =
    ctx.dialect === 'schwab'
      ? { grant_type: 'refresh_token', refresh_token: current.refresh_token }
      : {
          grant_type: 'refresh_token',
          refresh_token: current.refresh_token,
          access_type: 'offline',
          client_id: tdClientId(ctx.app.appKey),
        };
  let r: TokenResponse;
  try {
    r = await postToken(ctx, form);
  } catch (err) {
    // 400/401 to a refresh grant: the refresh token (or the app) is no longer accepted (RFC 6749 §5.2).
    if (err instanceof TokenRequestRefused && (err.status === 400 || err.status === 401)) {
      throw new LoginRequiredError(`log in again (tapedeck login, or Log in in the app): the broker refused the saved login (${err.message.replace(/^token request refused: /, '')})`);
    }
    throw err;
  }
  return {
    provider: current.provider,
    access_token: r.access_token,
    refresh_token: r.refresh_token ?? current.refresh_token,
    expires_at: now + r.expires_in * 1000,
    refresh_expires_at: r.refresh_token_expires_in ? now + r.refresh_token_expires_in * 1000 : current.refresh_expires_at,
  };
}
