import assert from 'node:assert/strict';
import { createCipheriv, createDecipheriv, randomBytes } from 'node:crypto';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { EncryptedFileStore, PLAINTEXT, type Cipher } from '../../../electron/node/host/encrypted-file-store.js';
import { electronBindingPath } from '../../../electron/main/native-binding-path.js';
import { tempDir } from '../../helpers/tmp.js';

const tmp = tempDir('secrets');
after(() => tmp.cleanup());

/** A real reversible cipher standing in for the OS keychain behind safeStorage. */
function aesCipher(key = randomBytes(32)): Cipher {
  return {
    protection: 'encrypted',
    encrypt(plain) {
      const iv = randomBytes(12);
      const c = createCipheriv('aes-256-gcm', key, iv);
      const body = Buffer.concat([c.update(plain, 'utf8'), c.final()]);
      return Buffer.concat([iv, c.getAuthTag(), body]);
    },
    decrypt(sealed) {
      const d = createDecipheriv('aes-256-gcm', key, sealed.subarray(0, 12));
      d.setAuthTag(sealed.subarray(12, 28));
      return Buffer.concat([d.update(sealed.subarray(28)), d.final()]).toString('utf8');
    },
  };
}

const secrets = { schwab: { appKey: 'KEY', appSecret: 'SECRET', tokens: { provider: 'schwab' as const, access_token: 'A', refresh_token: 'R', expires_at: 1, refresh_expires_at: 2 } } };

test('secrets round-trip encrypted, in a 0600 file that does not contain them in clear', async () => {
  const path = join(tmp.dir, 'nested', 'secrets.bin');
  const cipher = aesCipher();
  await new EncryptedFileStore(path, cipher).save(secrets);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  const raw = readFileSync(path);
  for (const s of ['SECRET', 'KEY', 'refresh_token']) assert.equal(raw.includes(s), false, s);
  assert.deepEqual(await new EncryptedFileStore(path, cipher).load(), secrets);
});

test('a file sealed with another key or corrupted loads as empty, not as a crash', async () => {
  const path = join(tmp.dir, 'other.bin');
  await new EncryptedFileStore(path, aesCipher()).save(secrets);
  assert.deepEqual(await new EncryptedFileStore(path, aesCipher()).load(), {});
  writeFileSync(path, 'garbage');
  assert.deepEqual(await new EncryptedFileStore(path, aesCipher()).load(), {});
});

test('the Electron-ABI binding lives beside the repository, per Electron version and arch', () => {
  assert.equal(electronBindingPath('/repo', '39.5.0', 'x64'), join('/repo', '.tapedeck-native', 'electron-39.5.0-x64', 'better_sqlite3.node'));
});

test('a store says how it keeps secrets: the keychain cipher encrypts, the plaintext one relies on the 0600 file', () => {
  assert.equal(new EncryptedFileStore(join(tmp.dir, 'k.bin'), aesCipher()).protection, 'encrypted');
  assert.equal(new EncryptedFileStore(join(tmp.dir, 'p.json'), PLAINTEXT).protection, 'file');
});
