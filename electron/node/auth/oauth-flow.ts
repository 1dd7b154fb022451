/**
 * The browser half of the OAuth authorization-code flow: the authorize URL with a random `state`,
 * and reading the code back from the redirect (decoded exactly once, state checked).
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { Dialect } from '../../../shared/protocol/services.js';
import { endpointUrl, PATHS } from './endpoints.js';
import { safeText } from '../../../shared/safe-text.js';

export class OAuthError extends Error {}

/**
 * The broker no longer accepts the saved login (the refresh token expired, was revoked, or the app
 * credentials changed): retrying cannot help, only a new browser login can. `loginRequired` lets
 * layers that do not know this class (the streamer) recognise it.
 */
export class LoginRequiredError extends OAuthError {
  readonly loginRequired = true;
}

/** The token endpoint answered with an error status. */
export class TokenRequestRefused extends OAuthError {
  constructor(
    readonly status: number,
    message: string,
  ) {
    super(message);
  }
}

export function newOAuthState(): string {
  return randomBytes(24).toString('base64url');
}

/** docs/protocol/tdameritrade.md §1.1: the client id is the consumer key plus the literal suffix @AMER.OAUTHAP. */
export function tdClientId(appKey: string): string {
  const bare = appKey.split('@')[0] ?? appKey;
  return `${bare}@AMER.OAUTHAP`;
}

export interface AuthorizeRequest {
  dialect: Dialect;
  authBase: string;
  appKey: string;
  redirectUri: string;
  state: string;
}

export function buildAuthorizeUrl(req: AuthorizeRequest): string {
  const url = new URL(endpointUrl(req.authBase, PATHS[req.dialect].authorize));
  url.searchParams.set('response_type', 'code');
  url.searchParams.set('client_id', req.dialect === 'tdameritrade' ? tdClientId(req.appKey) : req.appKey);
  url.searchParams.set('redirect_uri', req.redirectUri);
  url.searchParams.set('state', req.state);
  return url.toString();
}

/** True when `url` is the configured callback: same scheme, host, port and path (query ignored). */
export function isCallbackUrl(url: string, callback: string): boolean {
  let got: URL;
  let want: URL;
  try {
    got = new URL(url);
    want = new URL(callback);
  } catch {
    return false;
  }
  const path = (u: URL) => u.pathname.replace(/\/+$/, '') || '/';
  return got.protocol === want.protocol && got.hostname === want.hostname && got.port === want.port && path(got) === path(want);
}

/** Reads one raw (still percent-encoded) query parameter without form-decoding '+' into a space. */
function rawQueryParam(url: URL, name: string): string | null {
  for (const part of url.search.replace(/^\?/, '').split('&')) {
    const eq = part.indexOf('=');
    const key = eq < 0 ? part : part.slice(0, eq);
    if (key === name) return eq < 0 ? '' : part.slice(eq + 1);
  }
  return null;
}

function sameSecret(a: string, b: string): boolean {
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

/** True when the redirect carries the state this login issued (compared in constant time). */
export function carriesState(url: URL, expectedState: string): boolean {
  const state = url.searchParams.get('state');
  return state !== null && sameSecret(state, expectedState);
}

/**
 * Extracts the authorization code from the redirected URL. The code carries '/', '+' and '@' and
 * arrives percent-encoded; it is decoded exactly once (docs/protocol/tdameritrade.md §1.1, docs/protocol/schwab.md §1.1).
 */
export function codeFromRedirect(redirectedUrl: string, expectedState: string, callback: string): string {
  let url: URL;
  try {
    url = new URL(redirectedUrl.trim());
  } catch {
    throw new OAuthError('that is not a URL: paste the whole address the browser was sent to');
  }
  if (!isCallbackUrl(url.toString(), callback)) {
    throw new OAuthError(`the redirect went to ${url.origin}${url.pathname}, not to the configured callback ${callback}`);
  }
  const error = url.searchParams.get('error');
  if (error) throw new OAuthError(`the broker refused the login: ${safeText(error, 200)}`);
  if (!carriesState(url, expectedState)) {
    throw new OAuthError('the redirect does not carry the state this login started with; start the login again');
  }
  const raw = rawQueryParam(url, 'code');
  if (!raw) throw new OAuthError('the redirect carries no authorization code');
  try {
    return decodeURIComponent(raw);
  } catch {
    throw new OAuthError('the authorization code in the redirect is not valid percent-encoding');
  }
}
