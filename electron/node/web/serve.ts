/**
 * `tapedeck serve`: the app in a browser. Serves the renderer, bridges the API contract over a
 * WebSocket to the host worker, completes OAuth logins on a loopback redirect, and offers exports as
 * downloads. Binds to 127.0.0.1 only and requires the per-launch secret (see security.ts).
 *
 * Nothing a client sends may end the process: every request is answered (or refused) inside a
 * catch, every stream and socket has an error handler, and bridge messages have a size limit
 * (bridge.ts).
 */
import { existsSync } from 'node:fs';
import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { WebSocketServer, type WebSocket } from 'ws';
import type { EventName, Events } from '../../../shared/api.js';
import { EncryptedFileStore, PLAINTEXT } from '../host/encrypted-file-store.js';
import { HostClient } from '../host/host-client.js';
import { attachBridge, broadcast, MAX_MESSAGE_BYTES } from './bridge.js';
import { signedInPage } from './callback-page.js';
import { distDir } from './dist-paths.js';
import { safeExportName, sendExport } from './export-downloads.js';
import { ExportFolder } from './export-folder.js';
import { ensurePrivateFolder } from './private-folder.js';
import {
  appOrigin,
  cookieSecret,
  isAppHost,
  isCallbackHost,
  newLaunchHostName,
  newLaunchSecret,
  originAllowed,
  sameSecret,
  securityHeaders,
  sessionCookie,
  type ServeAddress,
} from './security.js';
import { loadStaticFiles } from './static-files.js';

export const CALLBACK_PATH = '/oauth/callback';
const EXPORTS_PREFIX = '/exports/';

export interface ServeOptions {
  port?: number;
  userDataPath: string;
  appVersion: string;
  /** Also serve the renderer's source maps (the full sources); off unless asked for. */
  sourceMaps?: boolean;
  demo?: { rate?: number; barMs?: number; seed?: number };
}

export interface ServeHandle {
  /** The app's origin, on its per-launch host name. */
  url: string;
  /** The URL to open: carries the per-launch secret. */
  openUrl: string;
  /** Where the broker redirects a browser-mode login (the address users register). */
  callbackUrl: string;
  port: number;
  close(): Promise<void>;
}

/** The request's path, or null when the request line is not a path we could parse. */
function requestUrl(req: IncomingMessage): URL | null {
  const raw = req.url ?? '';
  if (!raw.startsWith('/') || raw.startsWith('//')) return null;
  return URL.canParse(raw, 'http://serve.invalid') ? new URL(raw, 'http://serve.invalid') : null;
}

export async function startServer(opts: ServeOptions): Promise<ServeHandle> {
  const dist = distDir();
  const rendererDir = join(dist, 'renderer');
  if (!existsSync(join(rendererDir, 'index.html'))) throw new Error("the renderer is not built: run 'npm run build'");
  const files = loadStaticFiles(rendererDir, { sourceMaps: opts.sourceMaps });
  const secret = newLaunchSecret();
  ensurePrivateFolder(opts.userDataPath);
  const exportsDir = join(opts.userDataPath, 'exports');

  const host = new HostClient(
    join(dist, 'host-worker.js'),
    {
      userDataPath: opts.userDataPath,
      appVersion: opts.appVersion,
      versions: { node: process.versions.node, v8: process.versions.v8 },
      demo: opts.demo,
    },
    {
      // No OS keychain under plain Node: the 0600 file in the 0700 folder is the protection.
      secrets: new EncryptedFileStore(join(opts.userDataPath, 'secrets.json'), PLAINTEXT),
      chooseExportTarget: async (name) => {
        const safe = safeExportName(name);
        exportFiles.offered(safe);
        return { path: join(exportsDir, safe), location: `${EXPORTS_PREFIX}${safe}` };
      },
    },
  );
  await host.ready;
  // After the host: it holds the user-data folder, so a second serve never clears the first's exports.
  const exportFiles = new ExportFolder(exportsDir);

  const sockets = new Set<WebSocket>();
  host.on(<K extends EventName>(name: K, payload: Events[K]) => broadcast(sockets, name, payload));

  const address: ServeAddress = { hostName: newLaunchHostName(), port: 0 };
  const authorised = (req: IncomingMessage) => sameSecret(cookieSecret(req), secret);
  const text = { 'Content-Type': 'text/plain; charset=utf-8' };

  const server = createServer((req, res) => {
    void handle(req, res).catch(() => {
      if (!res.headersSent) res.writeHead(500, text);
      res.end('internal error');
    });
  });
  // A failure to accept a connection (too many open files) is the server's weather, not fatal.
  server.on('error', (err) => console.error(`serve: ${err.message}`));

  async function handle(req: IncomingMessage, res: ServerResponse): Promise<void> {
    const headers = securityHeaders(address);
    const url = requestUrl(req);
    if (!url) {
      res.writeHead(400, headers).end();
      return;
    }
    if (url.pathname === CALLBACK_PATH && isCallbackHost(req, address)) {
      await completeLogin(req, res, headers);
      return;
    }
    if (url.pathname === '/favicon.ico' && isCallbackHost(req, address)) {
      // The browser asks for an icon after the login's callback page; nothing to give, no error to show.
      res.writeHead(204, headers).end();
      return;
    }
    if (!isAppHost(req, address)) {
      res.writeHead(421, { ...headers, ...text }).end('Misdirected request: open the address printed by `tapedeck serve`.');
      return;
    }
    if (req.method !== 'GET') {
      res.writeHead(405, headers).end();
      return;
    }
    if (url.pathname === '/' || url.pathname === '/index.html') {
      if (sameSecret(url.searchParams.get('token'), secret)) {
        res.setHeader('Set-Cookie', sessionCookie(secret));
      } else if (!authorised(req)) {
        res.writeHead(401, { ...headers, ...text });
        res.end('Open the address printed by `tapedeck serve` (it carries this launch’s secret).');
        return;
      }
      const index = files.get('/index.html')!;
      res.writeHead(200, { ...headers, 'Content-Type': index.type });
      res.end(index.body);
      return;
    }
    if (url.pathname.startsWith(EXPORTS_PREFIX)) {
      if (!authorised(req)) {
        res.writeHead(401, headers).end();
        return;
      }
      // The raw path segment: a name is checked as written, never decoded into a path.
      await sendExport(res, exportsDir, url.pathname.slice(EXPORTS_PREFIX.length), headers, (name) => exportFiles.downloaded(name));
      return;
    }
    const file = files.get(url.pathname);
    if (!file) {
      res.writeHead(404, headers).end();
      return;
    }
    res.writeHead(200, { ...headers, 'Content-Type': file.type });
    res.end(file.body);
  }

  /**
   * The broker redirected here (no cookie: a cross-site redirect does not carry a SameSite=Strict
   * one). The host exchanges the code only if the `state` is the one its login issued; any other
   * request is refused and the login stays pending. The tab ends on a page of its own rather than
   * opening a second copy of the app.
   */
  async function completeLogin(req: IncomingMessage, res: ServerResponse, headers: Record<string, string>): Promise<void> {
    if (req.method !== 'GET') {
      res.writeHead(405, headers).end();
      return;
    }
    try {
      // The address the broker sent the browser to (its Host was checked): the host compares it
      // with the callback URL the user configured.
      await host.completeLogin(`http://${req.headers.host}${req.url}`);
      res.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' }).end(signedInPage());
    } catch (err) {
      res.writeHead(400, { ...headers, ...text }).end(`Login failed: ${(err as Error).message}`);
    }
  }

  const wss = new WebSocketServer({ noServer: true, maxPayload: MAX_MESSAGE_BYTES });
  wss.on('error', (err) => console.error(`serve: ${err.message}`));
  server.on('upgrade', (req, socket, head) => {
    // A client that resets mid-handshake must not take the server with it.
    socket.on('error', () => socket.destroy());
    const url = requestUrl(req);
    const ok =
      url !== null &&
      url.pathname === '/bridge' &&
      isAppHost(req, address) &&
      originAllowed(req, address) &&
      (authorised(req) || sameSecret(url.searchParams.get('token'), secret));
    if (!ok) {
      socket.end('HTTP/1.1 403 Forbidden\r\nConnection: close\r\nContent-Length: 0\r\n\r\n');
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
    server.listen(opts.port ?? 0, '127.0.0.1', () => {
      server.off('error', reject);
      resolve();
    });
  });
  address.port = (server.address() as AddressInfo).port;
  const url = appOrigin(address);
  return {
    url,
    openUrl: `${url}/?token=${secret}`,
    callbackUrl: `http://127.0.0.1:${address.port}${CALLBACK_PATH}`,
    port: address.port,
    async close() {
      for (const ws of sockets) ws.terminate();
      wss.close();
      server.closeAllConnections();
      await new Promise<void>((resolve) => server.close(() => resolve()));
      await host.close();
      exportFiles.close();
    },
  };
}
