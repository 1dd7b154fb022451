/** Secrets encrypted with the OS keychain (safeStorage); in memory only where that is unavailable. */
import { app, safeStorage } from 'electron';
import { join } from 'node:path';
import { MemorySecretStore, type SecretStore } from '../node/host/secrets.js';
import { EncryptedFileStore } from '../node/host/encrypted-file-store.js';

export function createSecretStore(): SecretStore {
  if (!safeStorage.isEncryptionAvailable()) return new MemorySecretStore();
  return new EncryptedFileStore(join(app.getPath('userData'), 'secrets.bin'), {
    encrypt: (plain) => safeStorage.encryptString(plain),
    decrypt: (sealed) => safeStorage.decryptString(sealed),
  });
}
