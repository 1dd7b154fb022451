/**
 * The simulator's HTTP side, at each dialect's real paths: the authorize page, the token endpoint
 * and the principals / user-preference endpoint (schwab.md 1-2, tdameritrade.md 1-2).
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dialect } from '../../../shared/protocol/services.js';
import { bareClientId, type AuthStore, type SimUser } from './auth-store.js';
import { loginPage } from './login-page.js';

const MAX_BODY = 64 * 1024;

export interface RouteContext {
  auth: AuthStore;
  /** ws://HOST:PORT, for the streamer URLs handed out. */
  wsBase: () => string;
  isFaultActive: (name: 'expire-token') => boolean;
}

function readBody(req: IncomingMessage): Promise<string> {
  return new Promise((resolve, reject) => {
    let size = 0;
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => {
      size += c.length;
      if (size > MAX_BODY) {
        reject(new Error('body too large'));
        req.destroy();
      } else chunks.push(c);
    });
    req.on('end', () => resolve(Buffer.concat(chunks).toString('utf8')));
    req.on('error', reject);
  });
}

function json(res: ServerResponse, status: number, body: unknown, headers: Record<string, string> = {}): void {
  res.writeHead(status, { 'Content-Type': 'application/json', 'Cache-Control': 'no-store', ...headers });
  res.end(JSON.stringify(body));
}

function html(res: ServerResponse, status: number, body: string): void {
  res.writeHead(status, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store', 'X-Frame-Options': 'DENY' });
  res.end(body);
}

function bearer(req: IncomingMessage): string {
  const h = req.headers.authorization ?? '';
  return h.startsWith('Bearer ') ? h.slice(7) : '';
}

const AUTHORIZE: Record<string, Dialect> = { '/v1/oauth/authorize': 'schwab', '/auth': 'tdameritrade' };

function authorizeForm(res: ServerResponse, dialect: Dialect, path: string, params: URLSearchParams, error?: string, status = 200): void {
  const clientId = params.get('client_id') ?? '';
  const redirectUri = params.get('redirect_uri') ?? '';
  if (!clientId || !redirectUri) {
    html(res, 400, '<!doctype html><title>Bad request</title><p>client_id and redirect_uri are required.</p>');
    return;
  }
  const hidden: Record<string, string> = { client_id: clientId, redirect_uri: redirectUri, response_type: params.get('response_type') ?? 'code' };
  const state = params.get('state');
  if (state !== null) hidden.state = state;
  html(res, status, loginPage({ action: path, hidden, error, broker: dialect === 'schwab' ? 'Charles Schwab' : 'TD Ameritrade' }));
}

function tokenBody(r: { accessToken: string; refreshToken?: string; refreshExpiresIn?: number }, dialect: Dialect, accessTtl: number) {
  const body: Record<string, unknown> = { access_token: r.accessToken, expires_in: accessTtl, token_type: 'Bearer' };
  if (dialect === 'schwab') {
    body.scope = 'api';
    body.id_token = `eyJhbGciOiJSUzI1NiJ9.${Buffer.from(JSON.stringify({ sub: 'sim' })).toString('base64url')}.sig`;
  } else body.scope = 'PlaceTrades AccountAccess MoveMoney';
  if (r.refreshToken) {
    body.refresh_token = r.refreshToken;
    if (dialect === 'tdameritrade' && r.refreshExpiresIn !== undefined) body.refresh_token_expires_in = r.refreshExpiresIn;
  }
  return body;
}

async function token(req: IncomingMessage, res: ServerResponse, ctx: RouteContext, dialect: Dialect, accessTtl: number): Promise<void> {
  const form = new URLSearchParams(await readBody(req));
  let clientId = form.get('client_id') ?? '';
  if (dialect === 'schwab') {
    const basic = req.headers.authorization ?? '';
    const decoded = basic.startsWith('Basic ') ? Buffer.from(basic.slice(6), 'base64').toString('utf8') : '';
    const colon = decoded.indexOf(':');
    if (colon <= 0 || colon === decoded.length - 1) {
      json(res, 401, { error: 'invalid_client', error_description: 'Unauthorized' });
      return;
    }
    clientId = decoded.slice(0, colon);
  } else if (!clientId) {
    json(res, 400, { error: 'invalid_request', error_description: 'client_id is required' });
    return;
  }
  const grant = form.get('grant_type');
  if (grant === 'authorization_code') {
    const r = ctx.auth.exchange(dialect, form.get('code') ?? '', clientId, form.get('redirect_uri') ?? '');
    if (!r) json(res, 400, { error: 'invalid_grant' });
    else json(res, 200, tokenBody(r, dialect, accessTtl));
  } else if (grant === 'refresh_token') {
    // TD returns a new refresh token only with access_type=offline; Schwab always rotates here.
    const rotate = dialect === 'schwab' || form.get('access_type') === 'offline';
    const r = ctx.auth.refreshGrant(dialect, form.get('refresh_token') ?? '', bareClientId(clientId), rotate);
    if (!r) json(res, dialect === 'schwab' ? 400 : 400, dialect === 'schwab' ? { error: 'invalid_client', error_description: 'refresh token invalid' } : { error: 'invalid_grant' });
    else json(res, 200, tokenBody(r, dialect, accessTtl));
  } else {
    json(res, 400, { error: 'unsupported_grant_type' });
  }
}

function userPreference(user: SimUser, wsBase: string) {
  return {
    accounts: [{ accountNumber: user.accountId, primaryAccount: true, type: 'BROKERAGE', nickName: 'Individual', displayAcctId: `...${user.accountId.slice(-3)}`, autoPositionEffect: false, accountColor: 'Green' }],
    streamerInfo: [{ streamerSocketUrl: `${wsBase}/ws`, schwabClientCustomerId: user.customerId, schwabClientCorrelId: user.correlId, schwabClientChannel: 'N9', schwabClientFunctionId: 'APIAPP' }],
    offers: [{ level2Permissions: true, mktDataPermission: 'NP' }],
  };
}

const isoNoColon = (ms: number) => new Date(ms).toISOString().replace(/\.\d{3}Z$/, '+0000');

function userPrincipals(user: SimUser, wsBase: string, fields: Set<string>) {
  const body: Record<string, unknown> = {
    authToken: 'sim', userId: user.name, userCdDomainId: user.cdDomainId, primaryAccountId: user.accountId,
    lastLoginTime: isoNoColon(user.tokenTimestamp), tokenExpirationTime: isoNoColon(user.tokenTimestamp + 3600_000), loginTime: isoNoColon(user.tokenTimestamp),
    accessLevel: 'CUS', stalePassword: false, professionalStatus: 'NON_PROFESSIONAL',
    quotes: { isNyseDelayed: false, isNasdaqDelayed: false, isOpraDelayed: false, isAmexDelayed: false, isCmeDelayed: true, isIceDelayed: true, isForexDelayed: true },
    accounts: [{ accountId: user.accountId, displayName: user.name, accountCdDomainId: user.cdDomainId, company: 'AMER', segment: 'AMER', acl: user.acl,
      authorizations: { apex: false, levelTwoQuotes: true, stockTrading: true, marginTrading: true, streamingNews: true, optionTradingLevel: 'LONG', streamerAccess: true, advancedMargin: true, scottradeAccount: false } }],
  };
  if (fields.has('streamerConnectionInfo')) {
    body.streamerInfo = { streamerBinaryUrl: 'streamer-bin.invalid', streamerSocketUrl: `${wsBase}/td/ws`, token: user.streamerToken, tokenTimestamp: isoNoColon(user.tokenTimestamp), userGroup: 'ACCT', accessLevel: 'ACCT', acl: user.acl, appId: user.appId };
  }
  if (fields.has('streamerSubscriptionKeys')) body.streamerSubscriptionKeys = { keys: [{ key: user.subscriptionKey }] };
  return body;
}

export async function handleHttp(req: IncomingMessage, res: ServerResponse, ctx: RouteContext, accessTtl: number): Promise<void> {
  const url = new URL(req.url ?? '/', 'http://sim.invalid');
  const path = url.pathname;
  try {
    const authorizeDialect = AUTHORIZE[path];
    if (authorizeDialect && req.method === 'GET') return authorizeForm(res, authorizeDialect, path, url.searchParams);
    if (authorizeDialect && req.method === 'POST') {
      const form = new URLSearchParams(await readBody(req));
      const username = (form.get('username') ?? '').trim();
      if (!username || !form.get('password')) return authorizeForm(res, authorizeDialect, path, form, 'Enter your user name and password.', 400);
      const redirectUri = form.get('redirect_uri') ?? '';
      let target: URL;
      try {
        target = new URL(redirectUri);
      } catch {
        return html(res, 400, '<!doctype html><p>redirect_uri is not a URL.</p>');
      }
      const code = ctx.auth.issueCode(authorizeDialect, form.get('client_id') ?? '', redirectUri, username);
      let location = `${target.toString()}${target.search ? '&' : '?'}code=${encodeURIComponent(code)}`;
      if (authorizeDialect === 'schwab') location += `&session=${randomUUID()}`;
      const state = form.get('state');
      if (state !== null) location += `&state=${encodeURIComponent(state)}`;
      res.writeHead(302, { Location: location, 'Cache-Control': 'no-store' });
      res.end();
      return;
    }
    if (req.method === 'POST' && path === '/v1/oauth/token') return await token(req, res, ctx, 'schwab', accessTtl);
    if (req.method === 'POST' && path === '/v1/oauth2/token') return await token(req, res, ctx, 'tdameritrade', accessTtl);
    if (req.method === 'GET' && path === '/trader/v1/userPreference') {
      const user = ctx.auth.userForAccess('schwab', bearer(req));
      if (!user) return json(res, 401, { errors: [{ status: 401, title: 'Unauthorized', detail: 'Access token is invalid or expired' }] });
      return json(res, 200, userPreference(user, ctx.wsBase()));
    }
    if (req.method === 'GET' && path === '/v1/userprincipals') {
      const user = ctx.auth.userForAccess('tdameritrade', bearer(req));
      if (!user) return json(res, 401, { error: 'The access token being passed has expired or is invalid.' });
      return json(res, 200, userPrincipals(user, ctx.wsBase(), new Set((url.searchParams.get('fields') ?? '').split(','))));
    }
    json(res, 404, { error: 'not found' });
  } catch (err) {
    if (!res.headersSent) json(res, 400, { error: (err as Error).message });
  }
}
