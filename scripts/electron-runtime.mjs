// What the desktop app needs beyond a Node install, shared by postinstall.mjs and start.mjs.
// Electron is an optional dependency (of scripts/electron-optional/, a dev dependency): where its
// postinstall cannot download the binary, npm drops the package and the install goes on
// (postinstall.mjs then puts the package back, without binary).
import { existsSync, readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const root = fileURLToPath(new URL('..', import.meta.url));

/** The Electron version the project pins (electron-builder.yml's electronVersion says the same). */
export const pinnedElectronVersion = JSON.parse(readFileSync(join(root, 'scripts', 'electron-optional', 'package.json'), 'utf8')).optionalDependencies.electron;

/**
 * The electron package's state: `version` is the installed package's (null when npm dropped it),
 * `binary` the executable its main module points at, when that file exists.
 */
export function electronRuntime() {
  const pkgFile = join(root, 'node_modules', 'electron', 'package.json');
  const version = existsSync(pkgFile) ? JSON.parse(readFileSync(pkgFile, 'utf8')).version : null;
  let binary = null;
  if (version) {
    try {
      // In plain Node, require('electron') is the path of the binary; it throws when there is none.
      const path = createRequire(join(root, 'package.json'))('electron');
      if (typeof path === 'string' && existsSync(path)) binary = path;
    } catch {
      // no binary: installed with ELECTRON_SKIP_BINARY_DOWNLOAD, or put back by postinstall.mjs
    }
  }
  return { version, binary };
}
