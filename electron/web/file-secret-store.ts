/** Browser mode's secret store: a 0600 JSON file in the user-data folder (no OS keychain under plain Node). */
import { chmodSync, existsSync, mkdirSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { dirname } from 'node:path';
import type { Secrets, SecretStore } from '../core/host/secrets.js';

export class FileSecretStore implements SecretStore {
  readonly persistent = true;

  constructor(private readonly path: string) {}

  async load(): Promise<Secrets> {
    if (!existsSync(this.path)) return {};
    try {
      const value: unknown = JSON.parse(readFileSync(this.path, 'utf8'));
      return typeof value === 'object' && value !== null ? (value as Secrets) : {};
    } catch {
      return {};
    }
  }

  async save(secrets: Secrets): Promise<void> {
    mkdirSync(dirname(this.path), { recursive: true, mode: 0o700 });
    const temp = `${this.path}.${process.pid}.tmp`;
    writeFileSync(temp, JSON.stringify(secrets), { mode: 0o600 });
    chmodSync(temp, 0o600);
    renameSync(temp, this.path);
  }
}
