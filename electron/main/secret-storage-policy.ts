/**
 * Whether the platform really protects secrets at rest, as a pure function of what Electron's
 * safeStorage reports. On Linux, isEncryptionAvailable() is also true for the `basic_text` backend,
 * which encrypts with a key hard-coded in Chromium: that protects nothing, so only a real keyring
 * (libsecret, KWallet) counts. `unknown` (asked before the app is ready, or undeterminable) does
 * not count either. macOS (Keychain) and Windows (DPAPI) are protected whenever encryption is
 * available. Anything not protected is kept in memory only, and the user is told.
 */
export type StorageDecision = { persistent: true } | { persistent: false; reason: string };

const OS_KEYRINGS = new Set(['gnome_libsecret', 'kwallet', 'kwallet5', 'kwallet6']);

export function decideSecretStorage(facts: { platform: string; encryptionAvailable: boolean; linuxBackend?: string }): StorageDecision {
  if (!facts.encryptionAvailable) return { persistent: false, reason: 'the system offers no encryption for saved credentials' };
  if (facts.platform === 'darwin' || facts.platform === 'win32') return { persistent: true };
  if (facts.linuxBackend !== undefined && OS_KEYRINGS.has(facts.linuxBackend)) return { persistent: true };
  return {
    persistent: false,
    reason: `no OS keyring protects saved credentials (storage backend: ${facts.linuxBackend ?? 'none'}; basic_text uses a built-in key)`,
  };
}
