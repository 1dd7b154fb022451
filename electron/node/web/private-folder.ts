/**
 * serve's user-data folder holds the settings, the recording and (in plain Node, with no OS
 * keychain) the secrets file: it is made 0700, and an existing folder is tightened to 0700 too,
 * since mkdir's mode applies only to folders it creates. Windows has no such modes.
 */
import { chmodSync } from 'node:fs';
import { ensureDir } from '../fs/ensure-dir.js';

export function ensurePrivateFolder(path: string): void {
  ensureDir(path, 0o700);
  if (process.platform !== 'win32') chmodSync(path, 0o700);
}
