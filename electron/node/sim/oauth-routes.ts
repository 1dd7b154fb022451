/**
 * The OAuth side at each dialect's real paths: the authorize page and its form post (docs/protocol/schwab.md §1.1,
 * docs/protocol/tdameritrade.md §1.1) and the token endpoint (docs/protocol/schwab.md §1.2-1.3, docs/protocol/tdameritrade.md §1.2-1.3).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dialect } from '../../../shared/protocol/services.js';
import type { AuthStore, IssuedTokens } from './auth-store.js';
import { basicCredentials, escapeHtml, readBody, sendHtml, sendJson } from './http-util.js';
import { loginPage } from './login-page.js';

const BROKER: Record<Dialect, string> = { schwab: 'Charles Schwab', tdameritrade: 'TD Ameritrade' };

function badRequestPage(res: ServerResponse, message: string): void {
  sendHtml(res, 400, `<!doctype html><html lang="en"><head><meta charset="utf-8"><title>Bad request — Tapedeck simulator</title></head><body><h1>Bad request</h1><p>${escapeHtml(message)}</p><p>Tapedeck simulator — not a real broker.</p></body></html>`);
}

function renderForm(res: ServerResponse, dialect: Dialect, path: string, params: URLSearchParams, status: number, error?: string): void {
  const clientId = params.get('client_id') ?? '';
  const redirectUri = params.get('redirect_uri') ?? '';
  if (!clientId || !redirectUri) {
    badRequestPage(res, 'client_id and redirect_uri are required.');
    return;
  }
  const hidden: Record<string, string> = { client_id: clientId, redirect_uri: redirectUri };
  for (const name of ['response_type', 'state', 'scope']) {
    const v = params.get(name);
    if (v !== null) hidden[name] = v;
  }
  sendHtml(res, status, loginPage({ action: path, broker: BROKER[dialect], hidden, error, username: params.get('username') ?? '' }));
}

export function authorizePage(res: ServerResponse, dialect: Dialect, path: string, query: URLSearchParams): void {
  renderForm(res, dialect, path, query, 200);
}

/** The Accept button: a code for the user, then 302 to the callback with the code URL-encoded once. */
export async function authorizeSubmit(req: IncomingMessage, res: ServerResponse, dialect: Dialect, path: string, auth: AuthStore): Promise<void> {
  const form = new URLSearchParams(await readBody(req));
  const username = (form.get('username') ?? '').trim();
  if (!username || !form.get('password')) {
    renderForm(res, dialect, path, form, 400, 'Enter your login ID and password.');
    return;
  }
  const clientId = form.get('client_id') ?? '';
  const redirectUri = form.get('redirect_uri') ?? '';
  let target: URL;
  try {
    target = new URL(redirectUri);
  } catch {
    badRequestPage(res, 'redirect_uri is not an absolute URL.');
    return;
  }
  if (!clientId) {
    badRequestPage(res, 'client_id is required.');
    return;
  }
  const code = auth.issueCode(dialect, clientId, redirectUri, username);
  const params = [`code=${encodeURIComponent(code)}`];
  if (dialect === 'schwab') params.push(`session=${randomUUID()}`);
  const state = form.get('state');
  if (state !== null) params.push(`state=${encodeURIComponent(state)}`);
  const base = redirectUri.split('#')[0]!;
  const location = `${base}${target.search ? '&' : '?'}${params.join('&')}`;
  res.writeHead(302, { Location: location, 'Cache-Control': 'no-store', 'Content-Length': 0 });
  res.end();
}

const jwtPart = (v: unknown) => Buffer.from(JSON.stringify(v)).toString('base64url');

/** An opaque JWT-looking id_token (docs/protocol/schwab.md §1.2): clients store it, nobody verifies it. */
function idToken(clientId: string): string {
  const now = Math.floor(Date.now() / 1000);
  return `${jwtPart({ alg: 'RS256', typ: 'JWT' })}.${jwtPart({ iss: 'tapedeck-sim', aud: clientId, sub: randomUUID(), iat: now, exp: now + 1800 })}.${randomBytes(64).toString('base64url')}`;
}

function tokenBody(t: IssuedTokens, dialect: Dialect, ttlSec: number, clientId: string): Record<string, unknown> {
  if (dialect === 'schwab') {
    return { expires_in: ttlSec, token_type: 'Bearer', scope: 'api', refresh_token: t.refreshToken, access_token: t.accessToken, id_token: idToken(clientId) };
  }
  const body: Record<string, unknown> = { access_token: t.accessToken };
  if (t.refreshToken) body.refresh_token = t.refreshToken;
  body.scope = 'PlaceTrades AccountAccess MoveMoney';
  body.expires_in = ttlSec;
  if (t.refreshToken) body.refresh_token_expires_in = t.refreshExpiresIn;
  body.token_type = 'Bearer';
  return body;
}

export async function tokenEndpoint(req: IncomingMessage, res: ServerResponse, dialect: Dialect, auth: AuthStore): Promise<void> {
  let clientId: string;
  if (dialect === 'schwab') {
    // Schwab authenticates the app with Basic app key:secret (docs/protocol/schwab.md §1.1).
    const basic = basicCredentials(req);
    if (!basic) {
      sendJson(res, 401, { error: 'invalid_client', error_description: 'Unauthorized' });
      return;
    }
    clientId = basic[0];
  }
  const form = new URLSearchParams(await readBody(req));
  if (dialect === 'tdameritrade') {
    clientId = form.get('client_id') ?? '';
    if (!clientId) {
      sendJson(res, 400, { error: 'invalid_request' });
      return;
    }
  }
  const ttl = auth.accessTtlSec;
  const grant = form.get('grant_type');
  const offline = form.get('access_type') === 'offline';
  if (grant === 'authorization_code') {
    // TD returns a refresh token only with access_type=offline; Schwab always does.
    const t = auth.exchange(dialect, form.get('code') ?? '', clientId!, form.get('redirect_uri') ?? '', dialect === 'schwab' || offline);
    if (!t) sendJson(res, 400, dialect === 'schwab' ? { error: 'invalid_grant', error_description: 'authorization code is invalid, expired, used, or issued to another client or redirect_uri' } : { error: 'invalid_grant' });
    else sendJson(res, 200, tokenBody(t, dialect, ttl, clientId!));
    return;
  }
  if (grant === 'refresh_token') {
    const t = auth.refreshGrant(dialect, form.get('refresh_token') ?? '', clientId!, dialect === 'schwab' || offline);
    if (!t) sendJson(res, 400, dialect === 'schwab' ? { error: 'invalid_client', error_description: 'refresh token invalid' } : { error: 'invalid_grant' });
    else sendJson(res, 200, tokenBody(t, dialect, ttl, clientId!));
    return;
  }
  sendJson(res, 400, { error: 'unsupported_grant_type', ...(dialect === 'schwab' ? { error_description: 'grant_type must be authorization_code or refresh_token' } : {}) });
}
