/**
 * A hostile broker on 127.0.0.1: just enough of Schwab's userPreference endpoint and streamer
 * (LOGIN, SUBS, LOGOUT answered with code 0) to get a real engine streaming, then whatever frames
 * a test sends. Counts every message it sends, so a test can check each one was archived.
 */
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { WebSocketServer, type WebSocket } from 'ws';
import { TokenManager } from '../../electron/node/auth/token-manager.js';
import { OAuthStreamerProvider } from '../../electron/node/provider/oauth-provider.js';

export interface HostileServer {
  url: string;
  /** Messages sent so far, acknowledgements included. */
  sent: number;
  /** Resolves with the first streamer socket once its SUBS has been answered. */
  streaming: Promise<HostileSocket>;
  /** Streamer sockets opened so far (1 while nothing has made the client reconnect). */
  connections: number;
  close(): Promise<void>;
}

export interface HostileSocket {
  /** Sends text (a string), a text frame of arbitrary bytes, or a binary frame; waits until written. */
  send(data: string | Buffer, opts?: { binary?: boolean }): Promise<void>;
  /** Sends without waiting; call drain() now and then. */
  queue(data: string | Buffer, opts?: { binary?: boolean }): void;
  drain(): Promise<void>;
  /** Closes the socket with this code and reason. */
  close(code: number, reason: string): void;
}

export interface HostileOptions {
  /** The answer to a request; default code 0. */
  answer?: (request: { service?: string; command?: string }) => { code: number; msg: string };
}

export async function startHostileServer(opts: HostileOptions = {}): Promise<HostileServer> {
  let resolveStreaming!: (s: HostileSocket) => void;
  const server: Server = createServer((req, res) => {
    if (req.url?.startsWith('/trader/v1/userPreference')) {
      const port = (server.address() as AddressInfo).port;
      res.setHeader('Content-Type', 'application/json');
      res.end(
        JSON.stringify({
          streamerInfo: [
            {
              streamerSocketUrl: `ws://127.0.0.1:${port}/ws`,
              schwabClientCustomerId: 'hostile-customer',
              schwabClientCorrelId: 'hostile-correl',
              schwabClientChannel: 'N9',
              schwabClientFunctionId: 'APIAPP',
            },
          ],
        }),
      );
      return;
    }
    res.statusCode = 404;
    res.end();
  });
  const wss = new WebSocketServer({ server, path: '/ws' });
  const handle: HostileServer = {
    url: '',
    sent: 0,
    connections: 0,
    streaming: new Promise((r) => (resolveStreaming = r)),
    async close() {
      for (const c of wss.clients) c.terminate();
      await new Promise<void>((r) => wss.close(() => r()));
      await new Promise<void>((r) => server.close(() => r()));
    },
  };
  wss.on('connection', (ws: WebSocket) => {
    handle.connections++;
    const socket = hostileSocket(ws, handle);
    ws.on('message', (data) => {
      let requests: { service?: string; command?: string; requestid?: string }[] = [];
      try {
        requests = (JSON.parse(data.toString()) as { requests: typeof requests }).requests;
      } catch {
        return;
      }
      for (const r of requests) {
        const content = opts.answer?.(r) ?? { code: 0, msg: `${r.command} ok` };
        socket.queue(JSON.stringify({ response: [{ service: r.service, command: r.command, requestid: r.requestid, timestamp: Date.now(), content }] }));
        if (r.command === 'SUBS') void socket.drain().then(() => resolveStreaming(socket));
      }
    });
  });
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  handle.url = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  return handle;
}

function hostileSocket(ws: WebSocket, counts: { sent: number }): HostileSocket {
  let last: Promise<void> = Promise.resolve();
  const queue = (data: string | Buffer, opts: { binary?: boolean } = {}) => {
    counts.sent++;
    last = new Promise((resolve, reject) => ws.send(data, { binary: opts.binary ?? false }, (err) => (err ? reject(err) : resolve())));
  };
  return {
    queue,
    close: (code, reason) => ws.close(code, reason),
    drain: () => last,
    send(data, opts) {
      queue(data, opts);
      return last;
    },
  };
}

/** A Schwab provider for the hostile server: a token that does not expire during a test, so no token endpoint is needed. */
export function hostileProvider(server: HostileServer): OAuthStreamerProvider {
  const tokens = new TokenManager({
    ctx: { dialect: 'schwab', apiBase: server.url, app: { appKey: 'k', appSecret: 's' } },
    initial: { provider: 'schwab', access_token: 'hostile-access', refresh_token: 'hostile-refresh', expires_at: Date.now() + 24 * 3600_000, refresh_expires_at: 0 },
  });
  return new OAuthStreamerProvider({ name: 'schwab', dialect: 'schwab', apiBase: server.url, tokens });
}
