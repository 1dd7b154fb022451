/**
 * Where app windows may go, decided on parsed URLs (never substrings): only our own app:// origin
 * stays in the window; http(s) links open in the system browser; everything else is refused.
 * Login windows follow login-policy.ts instead.
 */
export const APP_SCHEME = 'app';
export const APP_HOST = 'tapedeck';
export const APP_ORIGIN = `${APP_SCHEME}://${APP_HOST}`;

function parse(url: string): URL | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

export function isAppUrl(url: string): boolean {
  const u = parse(url);
  return u !== null && u.protocol === `${APP_SCHEME}:` && u.hostname === APP_HOST && u.port === '' && u.username === '' && u.password === '';
}

export function isAllowedNavigation(url: string): boolean {
  return isAppUrl(url);
}

/** The URL to hand to the system browser, or null when it must not be opened at all. */
export function externalUrlToOpen(url: string): string | null {
  const u = parse(url);
  if (!u || (u.protocol !== 'https:' && u.protocol !== 'http:') || u.username || u.password) return null;
  return u.toString();
}

/**
 * Where a link that leaves a window (window.open, target=_blank, a refused navigation) goes: the
 * system browser for an app window's http(s) links; nowhere for a login window, whose pages are
 * the broker's and must not drive the user's browser.
 */
export function externalTarget(url: string, fromLoginWindow: boolean): string | null {
  return fromLoginWindow ? null : externalUrlToOpen(url);
}
