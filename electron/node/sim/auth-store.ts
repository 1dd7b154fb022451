/**
 * The simulator's users and credentials: authorization codes (single use, 30 s, docs/protocol/schwab.md §1.1), access
 * tokens with real expiry, and refresh tokens. Schwab refresh tokens live 7 days from the browser
 * login and refreshing never extends that (docs/protocol/schwab.md §1.3). Whether Schwab rotates them is undocumented
 * (docs/protocol/schwab.md §1.2); this simulator rotates them on every refresh (a new string with the original
 * deadline, the old one revoked) so a client that does not persist the rotation finds out here, not in
 * production. TD refresh tokens live 90 days and rotate (fresh 90 days) only with access_type=offline
 * (docs/protocol/tdameritrade.md §1.2-1.3). Tokens are random and never logged.
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Dialect } from '../../../shared/protocol/services.js';

export interface SimUser {
  name: string;
  accountId: string;
  customerId: string;
  correlId: string;
  /** TD streamer login material (docs/protocol/tdameritrade.md §2.1, §3.3). */
  streamerToken: string;
  tokenTimestamp: number;
  appId: string;
  acl: string;
  cdDomainId: string;
  userGroup: string;
  accessLevel: string;
  company: string;
  segment: string;
  subscriptionKey: string;
}

interface Grant {
  dialect: Dialect;
  clientId: string;
  user: string;
  expiresAt: number;
}

interface Code extends Grant {
  redirectUri: string;
}

export interface IssuedTokens {
  accessToken: string;
  refreshToken?: string;
  /** Seconds the (new) refresh token has left. */
  refreshExpiresIn?: number;
}

const CODE_TTL_MS = 30_000;
const hex = (bytes: number) => randomBytes(bytes).toString('hex');
const b64url = (bytes: number) => randomBytes(bytes).toString('base64url');

/** TD keys arrive with or without the @AMER.OAUTHAP suffix (docs/protocol/tdameritrade.md §1.2: accept both). */
export const bareClientId = (id: string): string => id.replace(/@AMER\.OAUTHAP$/i, '');

export class AuthStore {
  private readonly users = new Map<string, SimUser>();
  private readonly codes = new Map<string, Code>();
  private readonly access = new Map<string, Grant>();
  private readonly refresh = new Map<string, Grant>();
  tokensIssued = 0;
  refreshes = 0;

  constructor(
    private readonly ttl: { accessSec: number; refreshSec: Record<Dialect, number> },
    private readonly now: () => number = Date.now,
  ) {}

  get accessTtlSec(): number {
    return this.ttl.accessSec;
  }

  user(name: string): SimUser {
    let u = this.users.get(name);
    if (!u) {
      const n = this.users.size + 1;
      u = {
        name,
        accountId: String(868_000_000 + n * 7919),
        customerId: hex(32),
        correlId: randomUUID(),
        streamerToken: hex(20),
        tokenTimestamp: Math.floor(this.now() / 1000) * 1000,
        appId: 'TAPEDK',
        acl: 'AKBPDRESFMGPHLIBNSNOTFTOXAWMQS',
        cdDomainId: `A000000${String(31_000_000 + n).padStart(9, '0')}`,
        userGroup: 'ACCT',
        accessLevel: 'ACCT',
        company: 'AMER',
        segment: 'AMER',
        subscriptionKey: hex(48),
      };
      this.users.set(name, u);
    }
    return u;
  }

  userByAccount(accountId: string): SimUser | undefined {
    for (const u of this.users.values()) if (u.accountId === accountId) return u;
    return undefined;
  }

  /**
   * A single-use code, as the Accept button issues it. Schwab's end in '@' (the redirect shows %40,
   * docs/protocol/schwab.md §1.1); TD's contain '/', '+' and '@' (docs/protocol/tdameritrade.md §1.1): clients must decode exactly once.
   */
  issueCode(dialect: Dialect, clientId: string, redirectUri: string, user: string): string {
    this.user(user);
    const body = randomBytes(36).toString('base64').replace(/=+$/, '');
    const code = dialect === 'schwab' ? `C0.${body}@` : `${body.slice(0, 20)}/${body.slice(20, 30)}+${body.slice(30)}@AMER`;
    this.codes.set(code, { dialect, clientId: bareClientId(clientId), redirectUri, user, expiresAt: this.now() + CODE_TTL_MS });
    return code;
  }

  private mint(grant: Omit<Grant, 'expiresAt'>, refresh: { expiresAt: number } | null): IssuedTokens {
    const accessToken = `${grant.dialect === 'schwab' ? 'I0.' : ''}${b64url(48)}@`;
    this.access.set(accessToken, { ...grant, expiresAt: this.now() + this.ttl.accessSec * 1000 });
    this.tokensIssued++;
    if (!refresh) return { accessToken };
    const refreshToken = b64url(64);
    this.refresh.set(refreshToken, { ...grant, expiresAt: refresh.expiresAt });
    return { accessToken, refreshToken, refreshExpiresIn: Math.max(0, Math.round((refresh.expiresAt - this.now()) / 1000)) };
  }

  /** Authorization-code grant: null (invalid_grant) unless fresh, unused, and issued to this client and redirect. */
  exchange(dialect: Dialect, code: string, clientId: string, redirectUri: string, withRefresh: boolean): IssuedTokens | null {
    const c = this.codes.get(code);
    if (!c || c.dialect !== dialect) return null;
    this.codes.delete(code); // single use, even when the rest of the request is wrong
    if (c.expiresAt < this.now() || c.clientId !== bareClientId(clientId) || c.redirectUri !== redirectUri) return null;
    const grant = { dialect, clientId: c.clientId, user: c.user };
    return this.mint(grant, withRefresh ? { expiresAt: this.now() + this.ttl.refreshSec[dialect] * 1000 } : null);
  }

  /** Refresh grant: null when the token is unknown, expired, revoked or another client's. */
  refreshGrant(dialect: Dialect, refreshToken: string, clientId: string, rotate: boolean): IssuedTokens | null {
    const g = this.refresh.get(refreshToken);
    if (!g || g.dialect !== dialect || g.expiresAt <= this.now() || g.clientId !== bareClientId(clientId)) return null;
    this.refreshes++;
    if (!rotate) return this.mint(g, null);
    this.refresh.delete(refreshToken);
    const expiresAt = dialect === 'schwab' ? g.expiresAt : this.now() + this.ttl.refreshSec[dialect] * 1000;
    return this.mint({ dialect, clientId: g.clientId, user: g.user }, { expiresAt });
  }

  /** The user behind a currently valid access token. */
  userForAccess(dialect: Dialect, accessToken: string): SimUser | undefined {
    const g = this.access.get(accessToken);
    if (!g || g.dialect !== dialect || g.expiresAt <= this.now()) return undefined;
    return this.users.get(g.user);
  }

  /** Whether the user holds any valid access token of the dialect (TD LOGIN has no token of its own). */
  hasValidAccess(dialect: Dialect, user: string): boolean {
    const now = this.now();
    for (const g of this.access.values()) if (g.user === user && g.dialect === dialect && g.expiresAt > now) return true;
    return false;
  }

  /** The `expire-token` fault: every access token dies now and TD streamer sessions with them. */
  expireAllAccessTokens(): void {
    const now = this.now();
    for (const g of this.access.values()) g.expiresAt = Math.min(g.expiresAt, now);
    for (const u of this.users.values()) {
      u.streamerToken = hex(20);
      u.tokenTimestamp = Math.floor(now / 1000) * 1000;
    }
  }

  /** Drops expired codes and tokens so a long-running simulator does not grow without bound. */
  sweep(): void {
    const now = this.now();
    for (const [k, c] of this.codes) if (c.expiresAt < now) this.codes.delete(k);
    for (const [k, g] of this.access) if (g.expiresAt < now - 3_600_000) this.access.delete(k);
    for (const [k, g] of this.refresh) if (g.expiresAt < now) this.refresh.delete(k);
  }
}
