/**
 * Secrets encrypted with the OS keychain (safeStorage); in memory only where the OS offers no real
 * protection (secret-storage-policy.ts), and the host tells the user so. Must run after `ready`:
 * the Linux backend is only known then.
 */
import { app, safeStorage } from 'electron';
import { rmSync } from 'node:fs';
import { join } from 'node:path';
import { MemorySecretStore, type SecretStore } from '../node/host/secrets.js';
import { EncryptedFileStore } from '../node/host/encrypted-file-store.js';
import { decideSecretStorage } from './secret-storage-policy.js';

export function createSecretStore(): SecretStore {
  const path = join(app.getPath('userData'), 'secrets.bin');
  const decision = decideSecretStorage({
    platform: process.platform,
    encryptionAvailable: safeStorage.isEncryptionAvailable(),
    linuxBackend: process.platform === 'linux' ? safeStorage.getSelectedStorageBackend() : undefined,
  });
  if (!decision.persistent) {
    console.warn(`Tapedeck keeps credentials in memory only: ${decision.reason}.`);
    // A file sealed with the built-in key by an earlier version is plaintext in effect: not kept.
    rmSync(path, { force: true });
    return new MemorySecretStore();
  }
  return new EncryptedFileStore(path, {
    protection: 'encrypted',
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (sealed) => safeStorage.decryptString(sealed),
  });
}
