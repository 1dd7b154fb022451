/**
 * Where the better-sqlite3 binding built for Electron's ABI lives (scripts/ensure-electron-native.mjs
 * puts it there), so the app and the Node tests each load a binding built for their own runtime.
 */
import { join } from 'node:path';

export function electronBindingPath(repoRoot: string, electronVersion: string, arch: string): string {
  return join(repoRoot, '.tapedeck-native', `electron-${electronVersion}-${arch}`, 'better_sqlite3.node');
}
