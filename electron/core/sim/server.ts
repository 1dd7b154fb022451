/**
 * `tapedeck sim`: one HTTP server for both dialects' OAuth and principals endpoints, and the two
 * streamer sockets (/ws for schwab, /td/ws for tdameritrade), with named faults.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import type { Dialect } from '../../../shared/protocol/services.js';
import { AuthStore } from './auth-store.js';
import type { FaultName, FaultSpec } from './faults.js';
import { handleHttp } from './http-routes.js';
import { Market } from './market.js';
import { SimConnection, type CommandRecord } from './sim-connection.js';

export interface SimOptions {
  host?: string;
  port?: number;
  symbols?: number;
  rate?: number;
  seed?: number;
  faults?: FaultSpec[];
  heartbeatMs?: number;
  emptySubscriptionTimeoutMs?: { schwab: number; tdameritrade: number };
  accessTokenTtlSec?: number;
  refreshTokenTtlSec?: { schwab: number; tdameritrade: number };
  barMs?: number;
  log?: (line: string) => void;
}

export interface SimStats {
  connections: number;
  logins: number;
  commands: CommandRecord[];
  framesSent: number;
  updatesSent: number;
  tokensIssued: number;
  refreshes: number;
}

export interface SimHandle {
  url: string;
  port: number;
  close(): Promise<void>;
  trigger(fault: FaultName): void;
  clearFault(fault: FaultName): void;
  issueAuthorizationCode(dialect: Dialect, clientId: string, redirectUri: string, user?: string): string;
  stats(): SimStats;
}

const MALFORMED = (ts: number) =>
  `{"data":[{"service":"LEVELONE_FUTURES","timestamp":${ts},"command":"SUBS","content":[{"key":"/XYZ","delayed":false,"1":\ufffd,"2":\ufffd,"3":\ufffd,"16":"Symbol not found"}]}]}`;

export async function startSimulator(opts: SimOptions = {}): Promise<SimHandle> {
  const accessTtl = opts.accessTokenTtlSec ?? 1800;
  const auth = new AuthStore({ accessSec: accessTtl, refreshSec: opts.refreshTokenTtlSec ?? { schwab: 7 * 86400, tdameritrade: 90 * 86400 } });
  const market = new Market(opts.seed ?? 1, opts.symbols ?? 500);
  const connections = new Set<SimConnection>();
  const loggedIn = new Map<string, SimConnection>();
  const active = new Set<FaultName>();
  const stats = { logins: 0, framesSent: 0, updatesSent: 0, commands: [] as CommandRecord[] };
  let nextId = 1;
  let port = 0;
  const host = opts.host ?? '127.0.0.1';
  const faults = opts.faults ?? [];
  for (const f of faults) if (f.name === 'deny-login' && f.afterMs === undefined && f.everyMs === undefined) active.add('deny-login');

  const wsBase = () => `ws://${host.includes(':') ? `[${host}]` : host}:${port}`;
  const server = createServer((req, res) => {
    void handleHttp(req, res, { auth, wsBase, isFaultActive: (n) => active.has(n) }, accessTtl);
  });

  const apply = (conn: SimConnection, name: FaultName) => {
    switch (name) {
      case 'drop':
        conn.terminate();
        break;
      case 'silence':
        conn.silenced = true;
        break;
      case 'malformed':
        conn.send(MALFORMED(Date.now()));
        break;
      case 'second-login':
        conn.notify(conn.dialect === 'schwab' ? 'ADMIN' : 'Invalid Service', 12, secondLoginMessage(conn.dialect));
        conn.close();
        break;
      case 'expire-token':
      case 'deny-login':
        applyGlobal(name);
        break;
    }
  };
  /** Faults about credentials act on the whole simulator, not on one socket. */
  function applyGlobal(name: 'expire-token' | 'deny-login'): void {
    if (name === 'expire-token') auth.expireAllAccessTokens();
    else active.add('deny-login');
  }

  const hooks = {
    auth,
    market,
    settings: {
      rate: opts.rate ?? 200,
      heartbeatMs: opts.heartbeatMs ?? 10_000,
      emptySubscriptionTimeoutMs: 0,
      barMs: opts.barMs ?? 60_000,
      symbolCap: (service: string) => (service === 'CHART_EQUITY' ? 300 : 3000),
    },
    denyLogin: () => active.has('deny-login'),
    onLogin: (conn: SimConnection, user: { name: string }) => {
      stats.logins++;
      // One streamer per user: the older connection is told (code 12) and closed (tdameritrade.md 7).
      const older = loggedIn.get(`${conn.dialect}:${user.name}`);
      if (older && older !== conn) apply(older, 'second-login');
      loggedIn.set(`${conn.dialect}:${user.name}`, conn);
      for (const f of faults) {
        if (f.name === 'deny-login') continue;
        if (f.everyMs !== undefined) conn.schedule(() => apply(conn, f.name), f.everyMs, true);
        else conn.schedule(() => apply(conn, f.name), f.afterMs ?? (f.name === 'expire-token' ? 5000 : 0), false);
      }
    },
    onCommand: (c: CommandRecord) => {
      stats.commands.push(c);
      if (stats.commands.length > 10_000) stats.commands.splice(0, 5_000);
    },
    onSent: (updates: number) => {
      stats.framesSent++;
      stats.updatesSent += updates;
    },
    onClose: (conn: SimConnection) => {
      connections.delete(conn);
      for (const [k, c] of loggedIn) if (c === conn) loggedIn.delete(k);
    },
  };
  const emptyTimeouts = opts.emptySubscriptionTimeoutMs ?? { schwab: 30_000, tdameritrade: 20_000 };

  const wss = new WebSocketServer({ noServer: true, perMessageDeflate: false, maxPayload: 1 << 20 });
  server.on('upgrade', (req, socket, head) => {
    const path = new URL(req.url ?? '/', 'http://sim.invalid').pathname;
    const dialect: Dialect | null = path === '/ws' ? 'schwab' : path === '/td/ws' ? 'tdameritrade' : null;
    if (!dialect) {
      socket.write('HTTP/1.1 404 Not Found\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      const conn = new SimConnection(nextId++, dialect, ws, { ...hooks, settings: { ...hooks.settings, emptySubscriptionTimeoutMs: emptyTimeouts[dialect] } });
      connections.add(conn);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, host, () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://${host.includes(':') ? `[${host}]` : host}:${port}`;
  opts.log?.(`simulator listening on ${url}`);

  return {
    url,
    port,
    async close() {
      for (const c of connections) c.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
    },
    trigger(fault) {
      if (fault === 'deny-login' || fault === 'expire-token') applyGlobal(fault);
      else for (const c of [...connections]) if (c.user) apply(c, fault);
    },
    clearFault(fault) {
      active.delete(fault);
      if (fault === 'silence') for (const c of connections) c.silenced = false;
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

function secondLoginMessage(dialect: Dialect): string {
  return dialect === 'schwab'
    ? 'CLOSE_CONNECTION: another connection for this user was opened; one streamer connection per user at a time.'
    : 'This Streamer was disconnected because of another connection for this username and password. Each user may only have one Streamer open at a time.';
}
