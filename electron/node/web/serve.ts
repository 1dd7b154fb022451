/**
 * `tapedeck serve`: the app in a browser. Serves the renderer, bridges the API contract over a
 * WebSocket to the host worker, completes OAuth logins on a loopback redirect, and offers exports as
 * downloads. Binds to 127.0.0.1 only and requires the per-launch secret (see security.ts).
 */
import { createReadStream, existsSync, statSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { basename, join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventName, Events } from '../../../shared/api.js';
import { ensureDir } from '../fs/ensure-dir.js';
import { EncryptedFileStore, PLAINTEXT } from '../host/encrypted-file-store.js';
import { HostClient } from '../host/host-client.js';
import { attachBridge, broadcast } from './bridge.js';
import { distDir } from './dist-paths.js';
import { COOKIE, cookieSecret, hostAllowed, newLaunchSecret, originAllowed, sameSecret, securityHeaders } from './security.js';
import { loadStaticFiles } from './static-files.js';

export const CALLBACK_PATH = '/oauth/callback';

export interface ServeOptions {
  port?: number;
  userDataPath: string;
  appVersion: string;
  demo?: { rate?: number; barMs?: number; seed?: number };
}

export interface ServeHandle {
  url: string;
  /** The URL to open: carries the per-launch secret. */
  openUrl: string;
  port: number;
  close(): Promise<void>;
}

export async function startServer(opts: ServeOptions): Promise<ServeHandle> {
  const dist = distDir();
  const rendererDir = join(dist, 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error("the renderer is not built: run 'npm run build'");
  const files = loadStaticFiles(rendererDir);
  const secret = newLaunchSecret();
  const exportsDir = join(opts.userDataPath, 'exports');
  ensureDir(exportsDir);

  const host = new HostClient(
    join(dist, 'host-worker.js'),
    {
      userDataPath: opts.userDataPath,
      appVersion: opts.appVersion,
      versions: { node: process.versions.node, v8: process.versions.v8, sqlite: 'better-sqlite3' },
      demo: opts.demo,
    },
    {
      // No OS keychain under plain Node: the 0600 file is the protection.
      secrets: new EncryptedFileStore(join(opts.userDataPath, 'secrets.json'), PLAINTEXT),
      chooseExportTarget: async (name) => {
        const safe = basename(name).replace(/[^\w.-]/g, '_');
        return { path: join(exportsDir, safe), location: `/exports/${encodeURIComponent(safe)}` };
      },
    },
  );
  await host.ready;

  const sockets = new Set<WebSocket>();
  host.on(<K extends EventName>(name: K, payload: Events[K]) => broadcast(sockets, name, payload));

  let port = 0;
  const authorised = (req: IncomingMessage) => sameSecret(cookieSecret(req), secret);

  const server = createServer((req, res) => {
    void handle(req, res).catch((err: Error) => {
      if (!res.headersSent) res.writeHead(500, { 'Content-Type': 'text/plain' });
      res.end(`error: ${err.message}`);
    });
  });

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const headers = securityHeaders(port);
    if (!hostAllowed(req, port)) {
      res.writeHead(421, headers).end('misdirected request');
      return;
    }
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    if (req.method !== 'GET') {
      res.writeHead(405, headers).end();
      return;
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      const token = url.searchParams.get('token');
      if (sameSecret(token, secret)) {
        res.setHeader('Set-Cookie', `${COOKIE}=${secret}; HttpOnly; SameSite=Lax; Path=/`);
      } else if (!authorised(req)) {
        res.writeHead(401, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
        res.end('Open the address printed by `tapedeck serve` (it carries this launch’s secret).');
        return;
      }
      const index = files.get('/index.html')!;
      res.writeHead(200, { ...headers, 'Content-Type': index.type });
      res.end(index.body);
      return;
    }
    if (url.pathname === CALLBACK_PATH) {
      // The broker redirected here; the host checks the state it issued before exchanging the code.
      try {
        await host.completeLogin(url.toString());
        res.writeHead(302, { ...headers, Location: '/' }).end();
      } catch (err) {
        res.writeHead(400, { ...headers, 'Content-Type': 'text/plain; charset=utf-8' });
        res.end(`Login failed: ${(err as Error).message}`);
      }
      return;
    }
    if (url.pathname.startsWith('/exports/')) {
      if (!authorised(req)) {
        res.writeHead(401, headers).end();
        return;
      }
      const name = basename(decodeURIComponent(url.pathname.slice('/exports/'.length)));
      const path = join(exportsDir, name);
      if (!existsSync(path)) {
        res.writeHead(404, headers).end();
        return;
      }
      res.writeHead(200, {
        ...headers,
        'Content-Type': name.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'application/vnd.sqlite3',
        'Content-Length': String(statSync(path).size),
        'Content-Disposition': `attachment; filename="${name}"`,
      });
      createReadStream(path).pipe(res);
      return;
    }
    const file = files.get(url.pathname);
    if (!file || url.pathname === '/index.html') {
      res.writeHead(404, headers).end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': file.type });
    res.end(file.body);
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: 1 << 20 });
  server.on('upgrade', (req, socket, head) => {
    const url = new URL(req.url ?? '/', `http://127.0.0.1:${port}`);
    const ok =
      url.pathname === '/bridge' &&
      hostAllowed(req, port) &&
      originAllowed(req, port) &&
      (authorised(req) || sameSecret(url.searchParams.get('token'), secret));
    if (!ok) {
      socket.write('HTTP/1.1 403 Forbidden\r\nConnection: close\r\n\r\n');
      socket.destroy();
      return;
    }
    wss.handleUpgrade(req, socket, head, (ws) => {
      sockets.add(ws);
      ws.on('close', () => sockets.delete(ws));
      attachBridge(ws, host);
    });
  });

  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(opts.port ?? 0, '127.0.0.1', () => resolve());
  });
  port = (server.address() as AddressInfo).port;
  const url = `http://127.0.0.1:${port}`;
  return {
    url,
    openUrl: `${url}/?token=${secret}`,
    port,
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await host.close();
    },
  };
}
