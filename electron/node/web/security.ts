/**
 * Who may talk to `tapedeck serve`: only this machine (bound to 127.0.0.1), only requests addressed
 * to our own host name (no DNS rebinding), only pages of our own origin (no cross-site WebSocket),
 * and only holders of the per-launch secret printed on the terminal.
 *
 * The app is served on a per-launch host name under `.localhost`, which browsers resolve to
 * loopback themselves (RFC 6761 §6.3; Chromium, Firefox). Cookies are scoped by host name, not by
 * port, so a cookie set for 127.0.0.1 would be sent to every other web server on 127.0.0.1 the
 * browser visits: on our own name, it stays host-only to us. SameSite=Strict keeps it off any
 * request another site starts, navigations included. The OAuth callback alone is also answered
 * on 127.0.0.1 (the address users register with the broker); it needs no cookie, the host checks
 * the login's `state`.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { rendererCsp } from '../../../shared/csp.js';

export const COOKIE = 'tapedeck_session';

export function newLaunchSecret(): string {
  return randomBytes(32).toString('base64url');
}

/** `tapedeck-<16 random base-32 characters>.localhost`: lower case, as browsers send it. */
export function newLaunchHostName(): string {
  const alphabet = 'abcdefghijklmnopqrstuvwxyz234567';
  const label = [...randomBytes(16)].map((b) => alphabet[b & 31]).join('');
  return `tapedeck-${label}.localhost`;
}

export function sameSecret(a: string | null | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export interface ServeAddress {
  /** The per-launch host name the app is served on. */
  hostName: string;
  port: number;
}

export const appHost = (a: ServeAddress) => `${a.hostName}:${a.port}`;
export const appOrigin = (a: ServeAddress) => `http://${appHost(a)}`;

/** The app (page, files, exports, bridge) answers only on its own host name. */
export function isAppHost(req: IncomingMessage, a: ServeAddress): boolean {
  return req.headers.host === appHost(a);
}

/** The OAuth callback is also answered on the loopback addresses users register with the broker. */
export function isCallbackHost(req: IncomingMessage, a: ServeAddress): boolean {
  return [appHost(a), `127.0.0.1:${a.port}`, `localhost:${a.port}`].includes(req.headers.host ?? '');
}

export function originAllowed(req: IncomingMessage, a: ServeAddress): boolean {
  return req.headers.origin === appOrigin(a);
}

export function cookieSecret(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE) return rest.join('=');
  }
  return null;
}

/** No Domain attribute: host-only, to the per-launch name. */
export function sessionCookie(secret: string): string {
  return `${COOKIE}=${secret}; HttpOnly; SameSite=Strict; Path=/`;
}

export function securityHeaders(a: ServeAddress): Record<string, string> {
  return {
    'Content-Security-Policy': rendererCsp([`ws://${appHost(a)}`]),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
  };
}
