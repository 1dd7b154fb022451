/**
 * Waits for the broker's redirect on a loopback http callback (e.g. http://127.0.0.1:8182/cb) and
 * returns the full redirected URL. The listener binds to the callback's loopback address only and
 * answers only requests that name the callback's own host (a web page cannot reach it through a
 * rebound DNS name) at the callback path and carry the state this login issued: anything else is
 * refused and the wait goes on, so a stray or forged request cannot end the login.
 */
import { createServer } from 'node:http';
import type { AddressInfo } from 'node:net';
import { carriesState } from '../auth/oauth-flow.js';

export interface LoopbackWait {
  /** The `state` of the authorize URL this login opened. */
  state: string;
  timeoutMs: number;
  /** Told the port actually bound (a callback with port 0 lets the system choose: tests). */
  onListening?: (port: number) => void;
}

/** Host header values that name the callback: the port is omitted by browsers when it is 80. */
export function callbackHosts(callback: URL, port: number): string[] {
  return port === 80 ? [callback.hostname, `${callback.hostname}:80`] : [`${callback.hostname}:${port}`];
}

export function waitForLoopbackRedirect(callback: string, opts: LoopbackWait): Promise<string> {
  const cb = new URL(callback);
  const host = cb.hostname === 'localhost' ? '127.0.0.1' : cb.hostname.replace(/^\[|\]$/g, '');
  return new Promise((resolve, reject) => {
    let hosts: string[] = [];
    const server = createServer((req, res) => {
      const headers = { 'Content-Type': 'text/plain; charset=utf-8', 'Cache-Control': 'no-store' };
      if (!hosts.includes(req.headers.host ?? '')) {
        res.writeHead(421, headers).end('misdirected request');
        return;
      }
      const url = URL.canParse(req.url ?? '', `${cb.protocol}//${req.headers.host}`) ? new URL(req.url ?? '', `${cb.protocol}//${req.headers.host}`) : null;
      if (!url || req.method !== 'GET' || url.pathname !== cb.pathname) {
        res.writeHead(404, headers).end();
        return;
      }
      if (!carriesState(url, opts.state)) {
        res.writeHead(400, headers).end('This is not the login Tapedeck is waiting for.');
        return;
      }
      res.writeHead(200, { ...headers, 'Content-Type': 'text/html; charset=utf-8' });
      res.end('<!doctype html><title>Tapedeck</title><p>Tapedeck received the login. You can close this window.</p>');
      finish(() => resolve(url.toString()));
    });
    const timer = setTimeout(() => finish(() => reject(new Error(`no redirect to ${callback} within ${opts.timeoutMs / 1000} s`))), opts.timeoutMs);
    function finish(then: () => void) {
      clearTimeout(timer);
      server.close();
      then();
    }
    server.on('error', (err) => finish(() => reject(new Error(`cannot listen on ${callback}: ${err.message}`))));
    server.listen(Number(cb.port || 80), host, () => {
      const port = (server.address() as AddressInfo).port;
      hosts = callbackHosts(cb, port);
      opts.onListening?.(port);
    });
  });
}
