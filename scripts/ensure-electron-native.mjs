// Builds better-sqlite3 for Electron's ABI into .tapedeck-native/electron-<version>-<arch>/ without
// touching node_modules/better-sqlite3/build, which the Node CLI and tests keep using. Run by
// `npm start`; does nothing when the binding for the installed Electron already exists.
import { execFileSync } from 'node:child_process';
import { cpSync, existsSync, mkdirSync, mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { dirname, join } from 'node:path';

const require = createRequire(import.meta.url);
const root = join(dirname(new URL(import.meta.url).pathname), '..');
const electronVersion = JSON.parse(readFileSync(join(root, 'node_modules/electron/package.json'), 'utf8')).version;
const arch = process.env.npm_config_arch || process.arch;
const target = join(root, '.tapedeck-native', `electron-${electronVersion}-${arch}`, 'better_sqlite3.node');

if (existsSync(target)) process.exit(0);

const source = dirname(require.resolve('better-sqlite3/package.json'));
const work = mkdtempSync(join(tmpdir(), 'tapedeck-native-'));
const copy = join(work, 'better-sqlite3');
cpSync(source, copy, { recursive: true, filter: (p) => !p.includes(`${join('build', 'Release')}`) });
const bin = (name) => join(root, 'node_modules', '.bin', name);
// npm passes its config to scripts as npm_config_*; a nodedir there would make node-gyp compile
// against Node's headers instead of Electron's.
const env = Object.fromEntries(Object.entries(process.env).filter(([k]) => k.toLowerCase() !== 'npm_config_nodedir'));
const run = (cmd, args) => execFileSync(cmd, args, { cwd: copy, env, stdio: ['ignore', 'inherit', 'inherit'] });

console.log(`tapedeck: building better-sqlite3 for Electron ${electronVersion} (${arch})…`);
try {
  try {
    run(bin('prebuild-install'), ['--runtime', 'electron', '--target', electronVersion, '--arch', arch]);
  } catch {
    console.log('tapedeck: no prebuilt binary; compiling against Electron headers');
    run(bin('node-gyp'), ['rebuild', '--release', '--runtime=electron', `--target=${electronVersion}`, `--arch=${arch}`, '--dist-url=https://electronjs.org/headers']);
  }
  const built = join(copy, 'build', 'Release', 'better_sqlite3.node');
  if (!existsSync(built)) throw new Error('the build produced no better_sqlite3.node');
  mkdirSync(dirname(target), { recursive: true });
  cpSync(built, target);
  console.log(`tapedeck: Electron SQLite module ready at ${target}`);
} catch (err) {
  console.error(`tapedeck: could not build better-sqlite3 for Electron ${electronVersion}: ${err.message.split('\n')[0]} (a network connection is needed once for the Electron headers or a prebuilt binary)`);
  process.exitCode = 1;
} finally {
  rmSync(work, { recursive: true, force: true });
}
