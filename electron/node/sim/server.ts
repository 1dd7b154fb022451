/**
 * `tapedeck sim`: one HTTP server for both dialects' OAuth and bootstrap endpoints and the two
 * streamer sockets (/ws for Schwab, /td/ws for TD Ameritrade), a pump that drives every connection,
 * one market per logged-in user, and the named faults.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Dialect } from '../../../shared/protocol/services.js';
import { AuthStore, type SimUser } from './auth-store.js';
import { DEFAULT_FAULT_DELAY_MS, type FaultName, type FaultSpec } from './faults.js';
import { handleHttp } from './http-routes.js';
import { Market } from './market.js';
import { SimConnection, type CommandRecord } from './sim-connection.js';
import { Universe } from './universe.js';

export interface SimOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port (SimHandle.port has the real one). */
  port?: number;
  /** Size of the generated equity universe, on top of the well-known names (default 500). */
  symbols?: number;
  /** Content items per second per connection, across all its subscriptions (default 200). */
  rate?: number;
  /** Market seed (default 1): the same seed and subscriptions give the same values. */
  seed?: number;
  faults?: FaultSpec[];
  /** Default 10,000 (docs/protocol/tdameritrade.md §4.2). */
  heartbeatMs?: number;
  /** Code 30 after this long with nothing subscribed (default 30 s Schwab, 20 s TD). */
  emptySubscriptionTimeoutMs?: { schwab: number; tdameritrade: number };
  /** Default 1800. */
  accessTokenTtlSec?: number;
  /** Default 7 days (Schwab) and 90 days (TD). */
  refreshTokenTtlSec?: { schwab: number; tdameritrade: number };
  /** Chart bar length (default 60,000). */
  barMs?: number;
  /** Per-service key caps answered with code 19 (default 3,000 a service, CHART_EQUITY 300). */
  symbolCaps?: Record<string, number>;
  /** One line per event; never carries tokens. */
  log?: (line: string) => void;
}

export interface SimStats {
  /** Open streamer connections. */
  connections: number;
  logins: number;
  commands: CommandRecord[];
  framesSent: number;
  updatesSent: number;
  tokensIssued: number;
  refreshes: number;
}

export interface SimHandle {
  /** http://HOST:PORT with the real port. */
  url: string;
  port: number;
  close(): Promise<void>;
  /** Runs a fault now against every open streamer connection (deny-login and expire-token: globally). */
  trigger(fault: FaultName): void;
  clearFault(fault: FaultName): void;
  /** Denies the next `n` LOGINs (code 3), as a token the server no longer accepts would be. */
  denyNextLogins(n: number): void;
  /** What the Accept button does, for in-process demo mode. */
  issueAuthorizationCode(dialect: Dialect, clientId: string, redirectUri: string, user?: string): string;
  stats(): SimStats;
}

const PUMP_MS = 20;
const MAX_COMMAND_RECORDS = 10_000;
const DEFAULT_CAP = 3000;
const DEFAULT_CAPS: Record<string, number> = { CHART_EQUITY: 300 };

/** The captured unknown-symbol frame: bare U+FFFD where numbers belong, so not JSON (docs/protocol/tdameritrade.md §5.3, §7). */
export function malformedFrame(now: number): string {
  return `{"data":[{"service":"LEVELONE_FUTURES", "timestamp":${now},"command":"SUBS","content":[{"key":"/GOOG","delayed":false,"1":\ufffd,"2":\ufffd,"3":\ufffd,"6":"?","7":"?","12":\ufffd,"13":\ufffd,"14":\ufffd,"15":"?","16":"Symbol not found","17":"?","18":\ufffd,"21":"unavailable","22":"Unknown","24":\ufffd,"28":"D,D","33":\ufffd}]}]}`;
}

const SECOND_LOGIN: Record<Dialect, { service: string; msg: string }> = {
  schwab: { service: 'ADMIN', msg: 'CLOSE_CONNECTION: another streamer connection was opened for this user; only one is allowed at a time.' },
  tdameritrade: {
    service: 'Invalid Service',
    msg: 'This Streamer was disconnected because of another connection for this username and password. Each user may only have one Streamer open at a time.',
  },
};

function checkNumber(name: string, v: number | undefined, min: number): void {
  if (v !== undefined && (!Number.isFinite(v) || v < min)) throw new Error(`simulator option ${name} must be a number >= ${min}`);
}

export async function startSimulator(opts: SimOptions = {}): Promise<SimHandle> {
  checkNumber('port', opts.port, 0);
  checkNumber('symbols', opts.symbols, 0);
  checkNumber('rate', opts.rate, 0);
  checkNumber('heartbeatMs', opts.heartbeatMs, 1);
  checkNumber('barMs', opts.barMs, 10);
  checkNumber('accessTokenTtlSec', opts.accessTokenTtlSec, 1);
  const host = opts.host ?? '127.0.0.1';
  const seed = opts.seed ?? 1;
  const barMs = opts.barMs ?? 60_000;
  const log = opts.log;
  const auth = new AuthStore({ accessSec: opts.accessTokenTtlSec ?? 1800, refreshSec: opts.refreshTokenTtlSec ?? { schwab: 7 * 86_400, tdameritrade: 90 * 86_400 } });
  const universe = new Universe(seed, opts.symbols ?? 500, Date.now());
  const markets = new Map<string, Market>();
  const connections = new Set<SimConnection>();
  const loggedIn = new Map<string, SimConnection>();
  const caps = { ...DEFAULT_CAPS, ...opts.symbolCaps };
  const emptyTimeouts = opts.emptySubscriptionTimeoutMs ?? { schwab: 30_000, tdameritrade: 20_000 };
  const stats = { logins: 0, framesSent: 0, updatesSent: 0, commands: [] as CommandRecord[] };
  const cleared = new Set<FaultName>();
  const timers: NodeJS.Timeout[] = [];
  let denyAll = false;
  let denyNext = 0;
  let nextId = 1;
  let port = 0;

  const apply = (conn: SimConnection, name: FaultName) => {
    if (!conn.isOpen) return;
    log?.(`fault ${name} on connection ${conn.id}`);
    switch (name) {
      case 'drop':
        conn.terminate();
        break;
      case 'silence':
        conn.silenced = true;
        break;
      case 'malformed':
        conn.sendRaw(malformedFrame(Date.now()));
        break;
      case 'second-login': {
        const n = SECOND_LOGIN[conn.dialect];
        conn.notify(n.service, 12, n.msg);
        conn.close(1000);
        break;
      }
      case 'expire-token':
        auth.expireAllAccessTokens();
        break;
      case 'deny-login':
        denyAll = true;
        break;
    }
  };

  // deny-login acts on LOGIN attempts, not on a connection (faults.ts).
  for (const f of opts.faults ?? []) {
    if (f.name !== 'deny-login') continue;
    if (f.everyMs !== undefined) {
      // One denial due at a time: periods in which nobody logs in do not pile up (an expired token, once refreshed, is fine).
      const t = setInterval(() => !cleared.has('deny-login') && (denyNext = 1), f.everyMs);
      t.unref();
      timers.push(t);
    } else if (f.afterMs !== undefined) {
      const t = setTimeout(() => !cleared.has('deny-login') && (denyAll = true), f.afterMs);
      t.unref();
      timers.push(t);
    } else denyAll = true;
  }

  const loginDenied = () => {
    if (denyAll) return true;
    if (denyNext > 0) {
      denyNext--;
      return true;
    }
    return false;
  };

  const onLogin = (conn: SimConnection, user: SimUser) => {
    stats.logins++;
    log?.(`connection ${conn.id} logged in (${conn.dialect}, user ${user.name})`);
    // One streamer per user: the older connection gets code 12 and is closed (docs/protocol/tdameritrade.md §7, docs/protocol/schwab.md §8).
    const who = `${conn.dialect}\u0000${user.name}`;
    const older = loggedIn.get(who);
    if (older && older !== conn) apply(older, 'second-login');
    loggedIn.set(who, conn);
    const now = Date.now();
    for (const f of opts.faults ?? []) {
      if (f.name === 'deny-login' || cleared.has(f.name)) continue;
      const at = now + (f.afterMs ?? f.everyMs ?? DEFAULT_FAULT_DELAY_MS);
      conn.schedule(() => !cleared.has(f.name) && apply(conn, f.name), at, f.everyMs ?? 0);
    }
  };

  const marketFor = (dialect: Dialect, user: SimUser) => {
    const key = `${dialect}\u0000${user.name}`;
    let m = markets.get(key);
    if (!m) {
      m = new Market(seed, barMs, universe);
      markets.set(key, m);
    }
    return m;
  };

  const envFor = (dialect: Dialect) => ({
    auth,
    rate: opts.rate ?? 200,
    heartbeatMs: opts.heartbeatMs ?? 10_000,
    emptySubscriptionTimeoutMs: emptyTimeouts[dialect],
    capOf: (service: string) => caps[service] ?? DEFAULT_CAP,
    marketFor,
    loginDenied,
    onLogin,
    onCommand: (c: CommandRecord) => {
      stats.commands.push(c);
      if (stats.commands.length > MAX_COMMAND_RECORDS) stats.commands.splice(0, stats.commands.length - MAX_COMMAND_RECORDS / 2);
    },
    onFrame: (items: number) => {
      stats.framesSent++;
      stats.updatesSent += items;
    },
    onClose: (conn: SimConnection) => {
      connections.delete(conn);
      for (const [k, c] of loggedIn) if (c === conn) loggedIn.delete(k);
      log?.(`connection ${conn.id} closed`);
    },
  });
  const envs = { schwab: envFor('schwab'), tdameritrade: envFor('tdameritrade') };

  const wsBase = () => `ws://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const server = createServer((req, res) => void handleHttp(req, res, { auth, wsBase, log }));
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1 << 20, autoPong: false });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://sim.invalid').pathname;
    const dialect: Dialect | null = path === '/ws' ? 'schwab' : path === '/td/ws' ? 'tdameritrade' : null;
    if (!dialect) {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = new SimConnection(nextId++, dialect, ws, envs[dialect]);
      connections.add(conn);
      log?.(`connection ${conn.id} opened (${dialect})`);
    });
  });

  let sweepAt = 0;
  const pump = setInterval(() => {
    const now = Date.now();
    for (const c of connections) c.tick(now);
    if (now >= sweepAt) {
      sweepAt = now + 60_000;
      auth.sweep();
    }
  }, PUMP_MS);
  pump.unref();
  timers.push(pump);

  try {
    await new Promise<void>((resolve, reject) => {
      server.once('error', reject);
      server.listen(opts.port ?? 0, host, () => {
        server.off('error', reject);
        resolve();
      });
    });
  } catch (err) {
    for (const t of timers) clearInterval(t);
    throw err;
  }
  port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  log?.(`simulator listening on ${url}`);

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    close() {
      closing ??= (async () => {
        for (const t of timers) clearInterval(t);
        for (const c of [...connections]) c.terminate();
        wss.close();
        server.closeAllConnections();
        await new Promise<void>((resolve) => server.close(() => resolve()));
      })();
      return closing;
    },
    trigger(fault) {
      if (fault === 'deny-login' || fault === 'expire-token') {
        log?.(`fault ${fault}`);
        if (fault === 'deny-login') denyAll = true;
        else auth.expireAllAccessTokens();
        return;
      }
      for (const c of [...connections]) apply(c, fault);
    },
    clearFault(fault) {
      cleared.add(fault);
      if (fault === 'deny-login') {
        denyAll = false;
        denyNext = 0;
      }
      if (fault === 'silence') for (const c of connections) c.silenced = false;
    },
    denyNextLogins(n) {
      log?.(`deny the next ${n} LOGIN(s)`);
      denyNext = n;
    },
    issueAuthorizationCode(dialect, clientId, redirectUri, user = 'demo') {
      return auth.issueCode(dialect, clientId, redirectUri, user);
    },
    stats() {
      return {
        connections: connections.size,
        logins: stats.logins,
        commands: [...stats.commands],
        framesSent: stats.framesSent,
        updatesSent: stats.updatesSent,
        tokensIssued: auth.tokensIssued,
        refreshes: auth.refreshes,
      };
    },
  };
}
