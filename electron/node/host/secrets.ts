/**
 * Per-broker secrets (app key, app secret, tokens) and the PostgreSQL sink's URL. Where they are kept is the platform's business:
 * Electron encrypts them with safeStorage, the browser mode uses a 0600 file, and where neither is
 * possible they live in memory only (and the user is told).
 */
import type { SecretStorage } from '../../../shared/api-values.js';
import type { TokenSet } from '../auth/tokens.js';

export interface BrokerSecrets {
  appKey: string;
  appSecret: string;
  tokens: TokenSet | null;
}

export interface Secrets {
  schwab?: BrokerSecrets;
  tdameritrade?: BrokerSecrets;
  /** The PostgreSQL sink's URL, whole: its password is a secret, so the URL is kept with them. */
  sink?: { url: string };
}

export interface SecretStore {
  /** How the secrets are kept at rest ('memory': not kept, they go with the process). */
  readonly protection: SecretStorage;
  load(): Promise<Secrets>;
  save(secrets: Secrets): Promise<void>;
}

export class MemorySecretStore implements SecretStore {
  readonly protection = 'memory';
  private secrets: Secrets = {};
  async load(): Promise<Secrets> {
    return structuredClone(this.secrets);
  }
  async save(secrets: Secrets): Promise<void> {
    this.secrets = structuredClone(secrets);
  }
}

/** Masks an identifier for display: never shown back in full. */
export function maskSecret(value: string): string {
  if (value === '') return '';
  if (value.length <= 8) return '•'.repeat(value.length);
  return `${value.slice(0, 4)}${'•'.repeat(Math.min(12, value.length - 8))}${value.slice(-4)}`;
}
