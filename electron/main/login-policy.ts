/**
 * What a broker login window may do, decided on parsed URLs. Broker pages are https; plain http is
 * allowed only to the authorize page's own origin when the user pointed it at this machine (the
 * simulator, a test server), since http anywhere else can be read and rewritten on the way. The
 * window never opens other windows, and nothing from it reaches the system browser.
 */
const LOOPBACK = new Set(['127.0.0.1', 'localhost', '[::1]']);

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** The http origin the login may use: the configured authorize page's, when it is on loopback. */
function loopbackHttpOrigin(authorizeUrl: string): string | null {
  const u = parse(authorizeUrl);
  return u && u.protocol === 'http:' && LOOPBACK.has(u.hostname) ? u.origin : null;
}

/** May the login window load (navigate to, or request) this URL? */
export function loginUrlAllowed(url: string, authorizeUrl: string): boolean {
  const u = parse(url);
  if (!u || u.username || u.password) return false;
  if (u.protocol === 'https:' || u.protocol === 'wss:') return true;
  if (u.protocol !== 'http:' && u.protocol !== 'ws:') return false;
  const origin = loopbackHttpOrigin(authorizeUrl);
  return origin !== null && `http://${u.host}` === origin;
}
