/**
 * Secrets as one sealed file (mode 0600, written atomically). The cipher is injected: Electron's
 * safeStorage in the app; browser mode, with no OS keychain under plain Node, relies on the 0600
 * file alone (PLAINTEXT).
 */
import { existsSync, readFileSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { ensureDir } from '../fs/ensure-dir.js';
import type { Secrets, SecretStore } from './secrets.js';

export interface Cipher {
  /** 'encrypted' for the OS keychain's cipher; 'file' when the 0600 file is the only protection. */
  readonly protection: 'encrypted' | 'file';
  encrypt(plain: string): Buffer;
  decrypt(sealed: Buffer): string;
}

export class EncryptedFileStore implements SecretStore {
  readonly protection: 'encrypted' | 'file';

  constructor(
    private readonly path: string,
    private readonly cipher: Cipher,
  ) {
    this.protection = cipher.protection;
  }

  async load(): Promise<Secrets> {
    if (!existsSync(this.path)) return {};
    try {
      const value: unknown = JSON.parse(this.cipher.decrypt(readFileSync(this.path)));
      return typeof value === 'object' && value !== null ? (value as Secrets) : {};
    } catch {
      // Unreadable (another OS user's key, a corrupt file): start empty rather than crash.
      return {};
    }
  }

  async save(secrets: Secrets): Promise<void> {
    ensureDir(dirname(this.path), 0o700);
    writeFileAtomic(this.path, this.cipher.encrypt(JSON.stringify(secrets)), { mode: 0o600 });
  }
}

/** No encryption: for platforms without a keychain, where the 0600 file mode is the protection. */
export const PLAINTEXT: Cipher = {
  protection: 'file',
  encrypt: (plain) => Buffer.from(plain, 'utf8'),
  decrypt: (sealed) => sealed.toString('utf8'),
};
