/**
 * REST market data at each dialect's real paths (docs/protocol/schwab.md §11, docs/protocol/tdameritrade.md §11):
 * quotes, price history, market hours, movers and option chains. Each needs the dialect's Bearer
 * access token, as the bootstrap endpoints do, and reads that user's market: the one its streamer
 * connection streams, so REST and stream agree. Returns false when the path is not a market-data one.
 */
import { randomUUID } from 'node:crypto';
import type { IncomingMessage, ServerResponse } from 'node:http';
import type { Dialect } from '../../../shared/protocol/services.js';
import type { SimUser } from './auth-store.js';
import { bearerToken, sendJson } from './http-util.js';
import type { RouteContext } from './http-routes.js';
import { hoursResponse, MARKETS, parseDay, parseMarkets } from './market-hours.js';
import { nyDay } from './sessions.js';
import type { Market } from './market.js';
import { schwabMovers, tdMovers } from './movers.js';
import { optionChain, parseChainParams } from './option-chain.js';
import { parseHistoryParams, previousClose, priceHistory } from './price-history.js';
import { SCHWAB_QUOTE_FIELDS, schwabQuote, tdQuote, type SchwabQuoteField } from './rest-quotes.js';

type Obj = Record<string, unknown>;

const MAX_SYMBOLS = 500;

interface Call {
  req: IncomingMessage;
  res: ServerResponse;
  ctx: RouteContext;
  url: URL;
}

function schwabError(res: ServerResponse, status: number, title: string, detail: string, parameter?: string): void {
  const error: Obj = { id: randomUUID(), status: String(status), title, detail };
  if (parameter) error.source = { parameter };
  sendJson(res, status, { errors: [error] });
}

function fail(dialect: Dialect, res: ServerResponse, status: number, detail: string, parameter?: string): void {
  if (dialect === 'schwab') schwabError(res, status, status === 401 ? 'Unauthorized' : status === 404 ? 'Not Found' : 'Bad Request', detail, parameter);
  else sendJson(res, status, { error: detail });
}

/** The user behind the request's Bearer token, or a 401 answered. */
function authorise(dialect: Dialect, c: Call): SimUser | null {
  const user = c.ctx.auth.userForAccess(dialect, bearerToken(c.req));
  if (!user) fail(dialect, c.res, 401, dialect === 'schwab' ? 'The access token is invalid or has expired.' : 'The access token being passed has expired or is invalid.');
  return user ?? null;
}

const segment = (raw: string): string | null => {
  try {
    return decodeURIComponent(raw);
  } catch {
    return null;
  }
};

const symbolList = (text: string | null): string[] => [...new Set((text ?? '').split(',').map((s) => s.trim()).filter((s) => s !== ''))];

function quotes(dialect: Dialect, market: Market, symbols: string[], fields: ReadonlySet<SchwabQuoteField>, now: number): Obj {
  const out: Obj = {};
  const invalid: string[] = [];
  for (const symbol of symbols) {
    const inst = market.instrument(symbol, dialect, now);
    if (!inst) {
      invalid.push(symbol);
      continue;
    }
    const halted = market.isHalted(inst);
    if (!halted) inst.refresh(now);
    const status = { halted, delayed: market.isDelayed(symbol) };
    out[symbol] = dialect === 'schwab' ? schwabQuote(inst, fields, status) : tdQuote(inst, status);
  }
  // Schwab lists unknown symbols under errors; TD left them out.
  if (dialect === 'schwab' && invalid.length > 0) out.errors = { invalidSymbols: invalid };
  return out;
}

function schwabFields(url: URL): Set<SchwabQuoteField> | string {
  const names = url.searchParams.getAll('fields').flatMap((f) => f.split(',')).map((f) => f.trim()).filter((f) => f !== '');
  const out = new Set<SchwabQuoteField>();
  for (const n of names) {
    if (n === 'all') return new Set();
    if (!(SCHWAB_QUOTE_FIELDS as readonly string[]).includes(n)) return n;
    out.add(n as SchwabQuoteField);
  }
  return out;
}

function history(dialect: Dialect, c: Call, market: Market, symbol: string, now: number): void {
  const req = parseHistoryParams(c.url.searchParams);
  if ('detail' in req) return fail(dialect, c.res, 400, req.detail, req.parameter);
  const inst = market.instrument(symbol, dialect, now);
  if (!inst) return sendJson(c.res, 200, { candles: [], symbol, empty: true });
  inst.refresh(now);
  const candles = priceHistory(inst, req, now);
  const body: Obj = { candles, symbol, empty: candles.length === 0 };
  if (dialect === 'schwab' && (c.url.searchParams.get('needPreviousClose') ?? '').toLowerCase() === 'true') {
    const prev = previousClose(inst, candles, now);
    body.previousClose = prev.price;
    body.previousCloseDate = prev.time;
  }
  sendJson(c.res, 200, body);
}

function hours(dialect: Dialect, c: Call, market: Market, markets: string | null, now: number): void {
  const list = parseMarkets(markets);
  if (!list) return fail(dialect, c.res, 400, `markets must be a comma list of ${MARKETS.join(', ')}`, 'markets');
  const day = parseDay(c.url.searchParams.get('date'), now);
  if (day === null) return fail(dialect, c.res, 400, 'date must be yyyy-MM-dd', 'date');
  const today = nyDay(now);
  if (day < today || day > today + 366) return fail(dialect, c.res, 400, 'date must be from today to one year ahead', 'date');
  sendJson(c.res, 200, hoursResponse(list, day, dialect, market.conditions.market));
}

function chains(dialect: Dialect, c: Call, market: Market, now: number): void {
  const req = parseChainParams(c.url.searchParams, dialect);
  if ('detail' in req) return fail(dialect, c.res, 400, req.detail, req.parameter);
  sendJson(c.res, 200, optionChain(market, dialect, req, now));
}

function schwab(c: Call, path: string): boolean {
  const m = /^\/marketdata\/v1\/(quotes|pricehistory|markets|chains|markets\/([^/]+)|movers\/(.+)|(.+)\/quotes)$/.exec(path);
  if (!m) return false;
  if ((c.req.method ?? 'GET') !== 'GET') {
    sendJson(c.res, 405, { error: `${c.req.method} is not allowed on ${path}` });
    return true;
  }
  const user = authorise('schwab', c);
  if (!user) return true;
  const market = c.ctx.marketFor('schwab', user);
  const now = Date.now();
  const q = c.url.searchParams;
  const [, what, marketId, moverIndex, quoteSymbol] = m;
  if (what === 'quotes' || quoteSymbol !== undefined) {
    const symbols = quoteSymbol !== undefined ? [segment(quoteSymbol) ?? ''] : symbolList(q.get('symbols'));
    if (symbols.length === 0 || symbols[0] === '') fail('schwab', c.res, 400, 'symbols is required', 'symbols');
    else if (symbols.length > MAX_SYMBOLS) fail('schwab', c.res, 400, `at most ${MAX_SYMBOLS} symbols`, 'symbols');
    else {
      const fields = schwabFields(c.url);
      const indicative = q.get('indicative');
      if (typeof fields === 'string') fail('schwab', c.res, 400, `unknown field '${fields}': use ${SCHWAB_QUOTE_FIELDS.join(', ')} or all`, 'fields');
      else if (indicative !== null && indicative !== 'true' && indicative !== 'false') fail('schwab', c.res, 400, 'indicative must be true or false', 'indicative');
      else sendJson(c.res, 200, quotes('schwab', market, symbols, fields, now));
    }
  } else if (what === 'pricehistory') {
    const symbol = (q.get('symbol') ?? '').trim();
    if (!symbol) fail('schwab', c.res, 400, 'symbol is required', 'symbol');
    else history('schwab', c, market, symbol, now);
  } else if (what === 'markets') hours('schwab', c, market, q.get('markets'), now);
  else if (marketId !== undefined) hours('schwab', c, market, segment(marketId), now);
  else if (moverIndex !== undefined) {
    const index = segment(moverIndex) ?? '';
    const sort = (q.get('sort') ?? 'VOLUME').toUpperCase();
    const frequency = Number(q.get('frequency') ?? '0');
    const rows = schwabMovers(index, sort, frequency, now, market.universe, (s) => market.peek(s, 'schwab'));
    if (rows) sendJson(c.res, 200, { screeners: rows });
    else fail('schwab', c.res, 400, `movers need an index ($DJI, $COMPX, $SPX, NYSE, NASDAQ, OTCBB, INDEX_ALL, EQUITY_ALL, OPTION_ALL, OPTION_PUT, OPTION_CALL), sort VOLUME, TRADES, PERCENT_CHANGE_UP or PERCENT_CHANGE_DOWN and frequency 0, 1, 5, 10, 30 or 60`, 'symbol_id');
  } else chains('schwab', c, market, now);
  return true;
}

function td(c: Call, path: string): boolean {
  const m = /^\/v1\/marketdata\/(quotes|hours|chains|(.+)\/(quotes|pricehistory|hours|movers))$/.exec(path);
  if (!m) return false;
  if ((c.req.method ?? 'GET') !== 'GET') {
    sendJson(c.res, 405, { error: `${c.req.method} is not allowed on ${path}` });
    return true;
  }
  const user = authorise('tdameritrade', c);
  if (!user) return true;
  const market = c.ctx.marketFor('tdameritrade', user);
  const now = Date.now();
  const q = c.url.searchParams;
  const [, what, rawSubject, action] = m;
  const subject = rawSubject === undefined ? '' : segment(rawSubject) ?? '';
  if (what === 'quotes' || action === 'quotes') {
    const symbols = action === 'quotes' ? [subject] : symbolList(q.get('symbol'));
    if (symbols.length === 0 || symbols[0] === '') fail('tdameritrade', c.res, 400, 'symbol is required');
    else sendJson(c.res, 200, quotes('tdameritrade', market, symbols.slice(0, MAX_SYMBOLS), new Set(), now));
  } else if (action === 'pricehistory') history('tdameritrade', c, market, subject, now);
  else if (what === 'hours') hours('tdameritrade', c, market, q.get('markets'), now);
  else if (action === 'hours') hours('tdameritrade', c, market, subject, now);
  else if (action === 'movers') {
    const direction = (q.get('direction') ?? 'up').toLowerCase();
    const change = (q.get('change') ?? 'percent').toLowerCase();
    const rows = (direction === 'up' || direction === 'down') && (change === 'percent' || change === 'value')
      ? tdMovers(subject, direction, change, now, market.universe, (s) => market.peek(s, 'tdameritrade'))
      : null;
    if (rows) sendJson(c.res, 200, rows);
    else fail('tdameritrade', c.res, 400, 'movers need an index ($COMPX, $DJI, $SPX.X), direction up or down and change percent or value');
  } else chains('tdameritrade', c, market, now);
  return true;
}

/** Serves a market-data request; false when `path` is none of the market-data paths. */
export function marketDataRoute(req: IncomingMessage, res: ServerResponse, ctx: RouteContext, url: URL): boolean {
  const c = { req, res, ctx, url };
  const path = url.pathname;
  if (path.startsWith('/marketdata/v1/')) return schwab(c, path);
  if (path.startsWith('/v1/marketdata/')) return td(c, path);
  return false;
}
