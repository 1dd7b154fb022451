// Builds better-sqlite3 for Electron's ABI into .tapedeck-native/electron-<version>-<arch>/ without
// touching node_modules/better-sqlite3/build, which the Node CLI and tests keep using. Used by
// scripts/start.mjs (`npm start`), which skips it when the binding for the installed Electron exists.
import { spawn } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';
import { root } from './electron-runtime.mjs';

const require = createRequire(join(root, 'package.json'));

/** Where the app looks for the binding (electron/main/native-binding-path.ts says the same). */
export function electronSqlitePath(electronVersion, arch) {
  return join(root, '.tapedeck-native', `electron-${electronVersion}-${arch}`, 'better_sqlite3.node');
}

/**
 * Tries a prebuilt binary, then compiling against Electron's headers. Both download (the binary or
 * the headers), so both need a network connection once. The tools' output is collected in `log`
 * (and also echoed as it comes when `echo` is set); `cause` is 'download' when the failure was the
 * network's, 'build' otherwise.
 */
export async function buildElectronSqlite(electronVersion, arch, { echo = false } = {}) {
  const target = electronSqlitePath(electronVersion, arch);
  const source = dirname(require.resolve('better-sqlite3/package.json'));
  const work = mkdtempSync(join(tmpdir(), 'tapedeck-native-'));
  const copy = join(work, 'better-sqlite3');
  // npm passes its config to scripts as npm_config_*; a nodedir there would make node-gyp compile
  // against Node's headers instead of Electron's.
  const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.toLowerCase() !== 'npm_config_nodedir'));
  let log = '';
  let last = ''; // the output of the last tool run
  const run = (script, args) =>
    new Promise((resolve) => {
      last = '';
      const child = spawn(process.execPath, [require.resolve(script), ...args], { cwd: copy, env, stdio: ['ignore', 'pipe', 'pipe'] });
      const collect = (stream) => (chunk) => {
        log += chunk;
        last += chunk;
        if (echo) stream.write(chunk);
      };
      child.stdout.on('data', collect(process.stdout));
      child.stderr.on('data', collect(process.stderr));
      child.on('error', (err) => {
        log += `${err.message}\n`;
        resolve(false);
      });
      child.on('close', (code) => resolve(code === 0));
    });
  try {
    cpSync(source, copy, { recursive: true, filter: (p) => !p.includes(`${join('build', 'Release')}`) });
    const built =
      (await run('prebuild-install/bin.js', ['--runtime', 'electron', '--target', electronVersion, '--arch', arch])) ||
      (await run('node-gyp/bin/node-gyp.js', ['rebuild', '--release', '--runtime=electron', `--target=${electronVersion}`, `--arch=${arch}`, '--dist-url=https://electronjs.org/headers']));
    const binding = join(copy, 'build', 'Release', 'better_sqlite3.node');
    if (!built || !existsSync(binding)) {
      // Whether node-gyp got Electron's headers (it may have them from an earlier run).
      const network = /network connectivity|ENOTFOUND|EAI_AGAIN|ECONNREFUSED|ECONNRESET|ETIMEDOUT|ENETUNREACH|EHOSTUNREACH|getaddrinfo|socket hang up|fetch failed/.test(last);
      return { ok: false, target, log, cause: network ? 'download' : 'build' };
    }
    mkdirSync(dirname(target), { recursive: true });
    cpSync(binding, target);
    return { ok: true, target, log, cause: null };
  } catch (err) {
    return { ok: false, target, log: `${log}${err.stack}\n`, cause: 'build' };
  } finally {
    rmSync(work, { recursive: true, force: true });
  }
}
