/** Secure storage tells the truth: only a real OS keychain or keyring counts as protection. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decideSecretStorage } from '../../../electron/main/secret-storage-policy.js';

test("Linux's basic_text backend (a built-in key) and an unknown backend are not protection, even when encryption is 'available'", () => {
  for (const linuxBackend of ['basic_text', 'unknown', undefined]) {
    const d = decideSecretStorage({ platform: 'linux', encryptionAvailable: true, linuxBackend });
    assert.equal(d.persistent, false, String(linuxBackend));
    assert.match(d.persistent ? '' : d.reason, /no OS keyring/);
  }
  assert.equal(decideSecretStorage({ platform: 'freebsd', encryptionAvailable: true }).persistent, false);
});

test('a Linux keyring, the macOS Keychain and Windows DPAPI are protection', () => {
  for (const linuxBackend of ['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']) {
    assert.equal(decideSecretStorage({ platform: 'linux', encryptionAvailable: true, linuxBackend }).persistent, true, linuxBackend);
  }
  assert.equal(decideSecretStorage({ platform: 'darwin', encryptionAvailable: true }).persistent, true);
  assert.equal(decideSecretStorage({ platform: 'win32', encryptionAvailable: true }).persistent, true);
});

test('no encryption at all is never protection', () => {
  for (const platform of ['linux', 'darwin', 'win32']) {
    assert.equal(decideSecretStorage({ platform, encryptionAvailable: false, linuxBackend: 'gnome_libsecret' }).persistent, false, platform);
  }
});
