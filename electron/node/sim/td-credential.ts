/**
 * TD streamer LOGIN: `parameters.credential` is a query string of the principals' values
 * (docs/protocol/tdameritrade.md §3.3). Working clients encode it once; the doc's own sample encodes it twice, so a
 * credential with no '=' but a '%3D' is decoded once more.
 */
import type { AuthStore, SimUser } from './auth-store.js';

export function parseCredential(raw: unknown): URLSearchParams | null {
  if (typeof raw !== 'string' || raw === '') return null;
  let text = raw;
  if (!text.includes('=') && /%3D/i.test(text)) {
    try {
      text = decodeURIComponent(text);
    } catch {
      return null;
    }
  }
  return new URLSearchParams(text);
}

/** The user a LOGIN's parameters prove, or undefined (code 3 "Login Denied."). */
export function verifyTdLogin(params: Record<string, unknown>, auth: AuthStore): SimUser | undefined {
  const c = parseCredential(params.credential);
  if (!c) return undefined;
  const user = auth.userByAccount(c.get('userid') ?? '');
  if (!user) return undefined;
  const expected: Record<string, string> = {
    token: user.streamerToken,
    company: user.company,
    segment: user.segment,
    cddomain: user.cdDomainId,
    usergroup: user.userGroup,
    accesslevel: user.accessLevel,
    authorized: 'Y',
    timestamp: String(user.tokenTimestamp),
    appid: user.appId,
    acl: user.acl,
  };
  for (const [k, v] of Object.entries(expected)) if (c.get(k) !== v) return undefined;
  if (params.token !== undefined && params.token !== user.streamerToken) return undefined;
  // The streamer session lives only as long as the user's OAuth session (the expire-token fault).
  return auth.hasValidAccess('tdameritrade', user.name) ? user : undefined;
}
