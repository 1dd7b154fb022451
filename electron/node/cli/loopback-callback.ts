/**
 * Waits for the broker's redirect on a loopback http callback (e.g. http://127.0.0.1:8182/cb) and
 * returns the full redirected URL. Only requests to the callback path count; the listener binds to
 * the callback's loopback address only.
 */
import { createServer } from 'node:http';

export function waitForLoopbackRedirect(callback: string, timeoutMs: number): Promise<string> {
  const cb = new URL(callback);
  const host = cb.hostname === 'localhost' ? '127.0.0.1' : cb.hostname;
  return new Promise((resolve, reject) => {
    const server = createServer((req, res) => {
      const url = new URL(req.url ?? '/', callback);
      if (req.method !== 'GET' || url.pathname !== cb.pathname) {
        res.writeHead(404).end();
        return;
      }
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8', 'Cache-Control': 'no-store' });
      res.end('<!doctype html><title>Tapedeck</title><p>Tapedeck received the login. You can close this window.</p>');
      finish(() => resolve(url.toString()));
    });
    const timer = setTimeout(() => finish(() => reject(new Error(`no redirect to ${callback} within ${timeoutMs / 1000} s`))), timeoutMs);
    function finish(then: () => void) {
      clearTimeout(timer);
      server.close();
      then();
    }
    server.on('error', (err) => finish(() => reject(new Error(`cannot listen on ${callback}: ${err.message}`))));
    server.listen(Number(cb.port || 80), host);
  });
}
