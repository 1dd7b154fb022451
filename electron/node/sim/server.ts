/**
 * `tapedeck sim`: one HTTP(S) server for both dialects' OAuth, bootstrap and REST market-data
 * endpoints and Schwab's streamer socket (/ws), a second listener whose /ws is TD Ameritrade's
 * streamer (TD clients build `wss://` + the bare host:port from userprincipals + `/ws`, so its
 * streamer needs a /ws of its own), a pump that drives every connection, one market per logged-in
 * user, and the named faults. With `tls` both listeners speak TLS (https/wss) with a self-signed
 * certificate for 127.0.0.1 and localhost.
 */
import { createServer, type IncomingMessage, type Server } from 'node:http';
import { createServer as createTlsServer } from 'node:https';
import type { AddressInfo, Socket } from 'node:net';
import type { Duplex } from 'node:stream';
import { WebSocketServer } from 'ws';
import type { Dialect } from '../../../shared/protocol/services.js';
import { AuthStore, type SimUser } from './auth-store.js';
import { simConditions, type MarketOverride } from './conditions.js';
import { DEFAULT_FAULT_DELAY_MS, type FaultName, type FaultSpec } from './faults.js';
import { handleHttp } from './http-routes.js';
import { Market } from './market.js';
import { SimConnection, type CommandRecord } from './sim-connection.js';
import { selfSignedCertificate, type TlsMaterial } from './tls.js';
import { Universe } from './universe.js';

export interface SimOptions {
  /** Default 127.0.0.1. */
  host?: string;
  /** Default 0: a free port (SimHandle.port has the real one). */
  port?: number;
  /** Port of the TD streamer's own listener (default 0: a free port; SimHandle.tdStreamerPort has it). */
  tdStreamerPort?: number;
  /**
   * Serve https/wss: true makes a self-signed certificate for 127.0.0.1, ::1 and localhost (and the
   * host); or pass a certificate and key. Default: plain http/ws.
   */
  tls?: boolean | TlsMaterial;
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
  /** Symbols whose level-one items carry `delayed: true`, as an unentitled account's do. */
  delayed?: readonly string[];
  /** Symbols whose security status is "Halted"; their prices stand still. */
  halted?: readonly string[];
  /** Forces the market-hours answers open or closed (default: the calendar at the current time). */
  market?: MarketOverride;
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
  /** http://HOST:PORT (https:// with TLS) with the real port: the API base and the authorize host. */
  url: string;
  port: number;
  /** Schwab's streamer, as userPreference hands it out: ws(s)://HOST:PORT/ws. */
  schwabStreamerUrl: string;
  /** The TD streamer listener's port; userprincipals hands out the bare HOST:PORT of it. */
  tdStreamerPort: number;
  /** What a TD client builds from that address: wss://HOST:PORT/ws (ws:// without TLS). */
  tdStreamerUrl: string;
  /** The certificate (PEM) when serving TLS, for clients to trust; null without TLS. */
  certificate: string | null;
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
  checkNumber('tdStreamerPort', opts.tdStreamerPort, 0);
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
  const conditions = simConditions(opts);
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
      m = new Market(seed, barMs, universe, conditions);
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

  const tls: TlsMaterial | null = opts.tls === true ? await selfSignedCertificate(host) : opts.tls ? opts.tls : null;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  const ws = tls ? 'wss' : 'ws';
  let tdPort = 0;
  const listener = (handler?: Parameters<typeof createServer>[1]): Server => (tls ? createTlsServer({ cert: tls.cert, key: tls.key }, handler) : createServer(handler));
  const server = listener((req, res) =>
    void handleHttp(req, res, {
      auth,
      schwabStreamerUrl: () => `${ws}://${urlHost}:${port}/ws`,
      tdStreamerAddress: () => `${urlHost}:${tdPort}`,
      marketFor,
      log,
    }),
  );
  // The TD listener serves only its streamer socket; anything else there is a JSON 404.
  const tdServer = listener((req, res) => {
    const text = JSON.stringify({ error: 'Not Found', path: new URL(req.url ?? '/', 'http://sim.invalid').pathname, hint: 'this port serves only the TD streamer at /ws' });
    res.writeHead(404, { 'Content-Type': 'application/json;charset=UTF-8', 'Content-Length': Buffer.byteLength(text) });
    res.end(text);
  });
  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1 << 20, autoPong: false });
  const upgrade = (dialect: Dialect) => (req: IncomingMessage, socket: Duplex, head: Buffer) => {
    const path = new URL(req.url ?? '/', 'http://sim.invalid').pathname;
    if (path !== '/ws') {
      socket.end('HTTP/1.1 404 Not Found\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
      return;
    }
    wss.handleUpgrade(req, socket, head, (sock) => {
      const conn = new SimConnection(nextId++, dialect, sock, envs[dialect]);
      connections.add(conn);
      log?.(`connection ${conn.id} opened (${dialect})`);
    });
  };
  server.on('upgrade', upgrade('schwab'));
  tdServer.on('upgrade', upgrade('tdameritrade'));
  // A TLS handshake that fails (a client that does not trust the certificate) is the client's business.
  for (const srv of [server, tdServer]) srv.on('tlsClientError', (_err: Error, socket: Socket) => socket.destroy());

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

  const listen = (srv: Server, p: number) =>
    new Promise<number>((resolve, reject) => {
      srv.once('error', reject);
      srv.listen(p, host, () => {
        srv.off('error', reject);
        resolve((srv.address() as AddressInfo).port);
      });
    });
  try {
    port = await listen(server, opts.port ?? 0);
    tdPort = await listen(tdServer, opts.tdStreamerPort ?? 0);
  } catch (err) {
    for (const t of timers) clearInterval(t);
    server.close();
    tdServer.close();
    throw err;
  }
  const url = `${tls ? 'https' : 'http'}://${urlHost}:${port}`;
  log?.(`simulator listening on ${url} (TD streamer on ${urlHost}:${tdPort})`);

  let closing: Promise<void> | null = null;
  return {
    url,
    port,
    schwabStreamerUrl: `${ws}://${urlHost}:${port}/ws`,
    tdStreamerPort: tdPort,
    tdStreamerUrl: `${ws}://${urlHost}:${tdPort}/ws`,
    certificate: tls?.cert ?? null,
    close() {
      closing ??= (async () => {
        for (const t of timers) clearInterval(t);
        for (const c of [...connections]) c.terminate();
        wss.close();
        await Promise.all(
          [server, tdServer].map((srv) => {
            srv.closeAllConnections();
            return new Promise<void>((resolve) => srv.close(() => resolve()));
          }),
        );
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
