/**
 * Who may talk to `tapedeck serve`: only this machine (bound to 127.0.0.1), only requests addressed
 * to our own host name (no DNS rebinding), only pages of our own origin (no cross-site WebSocket),
 * and only holders of the per-launch secret printed on the terminal.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import type { IncomingMessage } from 'node:http';
import { rendererCsp } from '../../../shared/csp.js';

export const COOKIE = 'tapedeck_session';

export function newLaunchSecret(): string {
  return randomBytes(32).toString('base64url');
}

export function sameSecret(a: string | null | undefined, b: string): boolean {
  if (!a) return false;
  const x = Buffer.from(a);
  const y = Buffer.from(b);
  return x.length === y.length && timingSafeEqual(x, y);
}

export function allowedHosts(port: number): Set<string> {
  return new Set([`127.0.0.1:${port}`, `localhost:${port}`]);
}

export function hostAllowed(req: IncomingMessage, port: number): boolean {
  return allowedHosts(port).has(req.headers.host ?? '');
}

export function originAllowed(req: IncomingMessage, port: number): boolean {
  const origin = req.headers.origin;
  if (!origin) return false;
  return [...allowedHosts(port)].some((h) => origin === `http://${h}`);
}

export function cookieSecret(req: IncomingMessage): string | null {
  for (const part of (req.headers.cookie ?? '').split(';')) {
    const [name, ...rest] = part.trim().split('=');
    if (name === COOKIE) return rest.join('=');
  }
  return null;
}

export function securityHeaders(port: number): Record<string, string> {
  return {
    'Content-Security-Policy': rendererCsp([`ws://127.0.0.1:${port}`, `ws://localhost:${port}`]),
    'X-Content-Type-Options': 'nosniff',
    'Referrer-Policy': 'no-referrer',
    'X-Frame-Options': 'DENY',
    'Cache-Control': 'no-store',
  };
}
