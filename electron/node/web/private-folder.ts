/**
 * serve's user-data folder holds the settings, the recording and (in plain Node, with no OS
 * keychain) the secrets file: it is made 0700, and an existing folder is tightened to 0700 too,
 * since mkdir's mode applies only to folders it creates. Windows has no such modes.
 */
import { chmodSync, mkdirSync } from 'node:fs';

export function ensurePrivateFolder(path: string): void {
  mkdirSync(path, { recursive: true, mode: 0o700 });
  if (process.platform !== 'win32') chmodSync(path, 0o700);
}
