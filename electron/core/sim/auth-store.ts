/**
 * The simulator's accounts and credentials: authorization codes (single use, 30 s), access tokens
 * with real expiry, refresh tokens (Schwab: 7 days from the browser login, never extended, rotated
 * on refresh so clients must persist rotation; TD: 90 days, rotated with access_type=offline).
 */
import { randomBytes, randomUUID } from 'node:crypto';
import type { Dialect } from '../../../shared/protocol/services.js';

export interface SimUser {
  name: string;
  accountId: string;
  customerId: string;
  correlId: string;
  /** TD streamer login material (tdameritrade.md 2.1). */
  streamerToken: string;
  tokenTimestamp: number;
  appId: string;
  acl: string;
  cdDomainId: string;
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
  used: boolean;
}

const hex = (bytes: number) => randomBytes(bytes).toString('hex');

/** TD's key may arrive with or without the @AMER.OAUTHAP suffix (tdameritrade.md 1.2: accept both). */
export const bareClientId = (id: string) => id.split('@')[0] ?? id;

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

  user(name: string): SimUser {
    let u = this.users.get(name);
    if (!u) {
      const n = this.users.size + 1;
      u = {
        name,
        accountId: String(100000000 + n),
        customerId: hex(32),
        correlId: randomUUID(),
        streamerToken: hex(20),
        tokenTimestamp: Math.floor(this.now() / 1000) * 1000,
        appId: 'TAPESIM',
        acl: 'AKBPDRESFMGPHLIBNSNOTFTOXAWMQS',
        cdDomainId: `A0000000${String(12345678 + n).padStart(8, '0')}`,
        subscriptionKey: hex(40),
      };
      this.users.set(name, u);
    }
    return u;
  }

  userByAccount(accountId: string): SimUser | undefined {
    return [...this.users.values()].find((u) => u.accountId === accountId);
  }

  issueCode(dialect: Dialect, clientId: string, redirectUri: string, user: string): string {
    this.user(user);
    // The real codes carry '/', '+' and '@' (and Schwab's end in '@'): clients must decode exactly once.
    const code = dialect === 'schwab' ? `C0.${randomBytes(24).toString('base64')}@` : `${randomBytes(24).toString('base64')}/A+B@${hex(4)}`;
    this.codes.set(code, { dialect, clientId: bareClientId(clientId), redirectUri, user, expiresAt: this.now() + 30_000, used: false });
    return code;
  }

  private mint(grant: Omit<Grant, 'expiresAt'>, withRefresh: boolean, refreshExpiresAt?: number) {
    const accessToken = `${grant.dialect === 'schwab' ? 'I0.' : ''}${randomBytes(32).toString('base64url')}@`;
    this.access.set(accessToken, { ...grant, expiresAt: this.now() + this.ttl.accessSec * 1000 });
    this.tokensIssued++;
    let refreshToken: string | undefined;
    if (withRefresh) {
      refreshToken = randomBytes(48).toString('base64url');
      this.refresh.set(refreshToken, { ...grant, expiresAt: refreshExpiresAt ?? this.now() + this.ttl.refreshSec[grant.dialect] * 1000 });
    }
    return { accessToken, refreshToken };
  }

  /** An authorization-code grant; null (invalid_grant) unless the code is fresh, unused and issued to this client and redirect. */
  exchange(dialect: Dialect, code: string, clientId: string, redirectUri: string) {
    const c = this.codes.get(code);
    if (!c || c.used || c.dialect !== dialect || c.expiresAt < this.now() || c.clientId !== bareClientId(clientId) || c.redirectUri !== redirectUri) return null;
    c.used = true;
    const tokens = this.mint({ dialect, clientId: c.clientId, user: c.user }, true);
    return { ...tokens, refreshExpiresIn: this.ttl.refreshSec[dialect] };
  }

  /** A refresh grant; null when the refresh token is unknown, expired or another client's. */
  refreshGrant(dialect: Dialect, refreshToken: string, clientId: string, rotate: boolean) {
    const g = this.refresh.get(refreshToken);
    if (!g || g.dialect !== dialect || g.expiresAt < this.now() || g.clientId !== bareClientId(clientId)) return null;
    this.refreshes++;
    if (!rotate) return { ...this.mint(g, false), refreshExpiresIn: undefined };
    this.refresh.delete(refreshToken);
    // Schwab: the new refresh token keeps the original 7-day deadline (schwab.md 1.3).
    const deadline = dialect === 'schwab' ? g.expiresAt : undefined;
    const tokens = this.mint(g, true, deadline);
    return { ...tokens, refreshExpiresIn: Math.round(((deadline ?? this.now() + this.ttl.refreshSec[dialect] * 1000) - this.now()) / 1000) };
  }

  /** The user behind a currently valid access token. */
  userForAccess(dialect: Dialect, accessToken: string): SimUser | undefined {
    const g = this.access.get(accessToken);
    if (!g || g.dialect !== dialect || g.expiresAt <= this.now()) return undefined;
    return this.users.get(g.user);
  }

  expireAllAccessTokens(): void {
    const now = this.now();
    for (const g of this.access.values()) g.expiresAt = Math.min(g.expiresAt, now);
  }
}
