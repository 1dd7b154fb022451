/**
 * The renderer's Content Security Policy, one definition for both hosts: Electron's app:// handler
 * and `tapedeck serve`. Only where the page may connect differs (IPC needs nothing; serve needs
 * its own WebSocket).
 */
export function rendererCsp(connectSrc: readonly string[] = []): string {
  return [
    "default-src 'none'",
    "script-src 'self'",
    "style-src 'self'",
    "img-src 'self' data:",
    "font-src 'self'",
    `connect-src ${["'self'", ...connectSrc].join(' ')}`,
    "base-uri 'none'",
    "form-action 'none'",
    "frame-ancestors 'none'",
  ].join('; ');
}
