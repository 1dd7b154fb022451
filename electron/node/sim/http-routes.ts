/** The simulator's REST routes at each dialect's real paths (OAuth, bootstrap, market data); everything else is a JSON 404. */
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dialect } from '../../../shared/protocol/services.js';
import type { AuthStore, SimUser } from './auth-store.js';
import { BodyTooLarge, bearerToken, sendJson } from './http-util.js';
import type { Market } from './market.js';
import { marketDataRoute } from './market-data-routes.js';
import { authorizePage, authorizeSubmit, tokenEndpoint } from './oauth-routes.js';
import { userPreference, userPrincipals } from './principals.js';

export interface RouteContext {
  auth: AuthStore;
  /** Schwab's streamer, a full URL: ws(s)://HOST:PORT/ws (docs/protocol/schwab.md §2). */
  schwabStreamerUrl: () => string;
  /** TD's streamer, a bare HOST:PORT to which clients add wss:// and /ws (docs/protocol/tdameritrade.md §3.1). */
  tdStreamerAddress: () => string;
  /** The market of a logged-in user: the REST market data is the streamed market. */
  marketFor: (dialect: Dialect, user: SimUser) => Market;
  log?: (line: string) => void;
}

const AUTHORIZE: Readonly<Record<string, Dialect>> = { '/v1/oauth/authorize': 'schwab', '/auth': 'tdameritrade' };
const TOKEN: Readonly<Record<string, Dialect>> = { '/v1/oauth/token': 'schwab', '/v1/oauth2/token': 'tdameritrade' };

async function route(req: IncomingMessage, res: ServerResponse, ctx: RouteContext, url: URL): Promise<void> {
  const path = url.pathname;
  const method = req.method ?? 'GET';
  const authorize = AUTHORIZE[path];
  if (authorize && method === 'GET') return authorizePage(res, authorize, path, url.searchParams);
  if (authorize && method === 'POST') return authorizeSubmit(req, res, authorize, path, ctx.auth);
  const token = TOKEN[path];
  if (token && method === 'POST') return tokenEndpoint(req, res, token, ctx.auth);
  if (path === '/trader/v1/userPreference' && method === 'GET') {
    const user = ctx.auth.userForAccess('schwab', bearerToken(req));
    if (!user) return sendJson(res, 401, { errors: [{ id: 'sim-401', status: 401, title: 'Unauthorized', detail: 'The access token is invalid or has expired.' }] });
    return sendJson(res, 200, userPreference(user, ctx.schwabStreamerUrl()));
  }
  if (path === '/v1/userprincipals' && method === 'GET') {
    const user = ctx.auth.userForAccess('tdameritrade', bearerToken(req));
    if (!user) return sendJson(res, 401, { error: 'The access token being passed has expired or is invalid.' });
    const fields = new Set((url.searchParams.get('fields') ?? '').split(',').map((f) => f.trim()));
    return sendJson(res, 200, userPrincipals(user, ctx.tdStreamerAddress(), fields));
  }
  if (marketDataRoute(req, res, ctx, url)) return;
  if (authorize || token || path === '/trader/v1/userPreference' || path === '/v1/userprincipals') {
    return sendJson(res, 405, { error: `${method} is not allowed on ${path}` });
  }
  sendJson(res, 404, { error: 'Not Found', path });
}

export async function handleHttp(req: IncomingMessage, res: ServerResponse, ctx: RouteContext): Promise<void> {
  let url: URL;
  try {
    url = new URL(req.url ?? '/', 'http://sim.invalid');
  } catch {
    return sendJson(res, 400, { error: 'bad request target' });
  }
  // Only the method, path and status: query strings and bodies can carry codes and tokens.
  res.once('finish', () => ctx.log?.(`${req.method} ${url.pathname} ${res.statusCode}`));
  try {
    await route(req, res, ctx, url);
  } catch (err) {
    if (res.headersSent) return;
    if (err instanceof BodyTooLarge) {
      res.setHeader('Connection', 'close');
      sendJson(res, 413, { error: err.message });
    } else sendJson(res, 500, { error: 'internal simulator error' });
  }
}
