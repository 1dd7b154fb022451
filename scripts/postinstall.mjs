// npm install's own last step (also after npm ci). Electron, the desktop app's runtime, is an
// optional dependency (of scripts/electron-optional/, a dev dependency): where its postinstall
// cannot download the binary (no connection to GitHub), npm removes the package and the install
// still succeeds, since the command line, browser mode and the tests do not need it. This says so
// in one line, and puts the electron package back without its binary (the state that
// ELECTRON_SKIP_BINARY_DOWNLOAD leaves), so the Electron sources still type-check and
// `npm rebuild electron` can fetch the binary later. Silent when the binary is there.
import { spawnSync } from 'node:child_process';
import { electronRuntime, pinnedElectronVersion, root } from './electron-runtime.mjs';

const env = process.env;
// npm runs this even for `npm install --package-lock-only`, when node_modules is not ours to touch.
if (env.npm_config_package_lock_only === 'true' || env.npm_config_dry_run === 'true') process.exit(0);

const runtime = electronRuntime();
if (runtime.binary) process.exit(0);

const omitted = /\b(dev|optional)\b/.test(env.npm_config_omit ?? '') || env.NODE_ENV === 'production';
if (!runtime.version && !omitted && env.npm_lifecycle_event === 'postinstall' && env.npm_execpath) {
  // The lockfile's tree again, without install scripts (so without another download attempt and
  // without running this script again). The registry is reachable: this install just used it.
  const args = ['install', '--ignore-scripts', '--no-save', '--no-audit', '--no-fund', '--loglevel=error'];
  const r = spawnSync(process.execPath, [env.npm_execpath, ...args], { cwd: root, stdio: ['ignore', 'ignore', 'pipe'], encoding: 'utf8' });
  if (r.status !== 0 && env.TAPEDECK_DEBUG === '1') process.stderr.write(r.stderr || String(r.error));
}
const putBack = runtime.version || omitted || electronRuntime().version ? '' : ' (run `npm install --ignore-scripts` to put its package back for the type-check)';

const why = env.ELECTRON_SKIP_BINARY_DOWNLOAD ? 'was not downloaded (ELECTRON_SKIP_BINARY_DOWNLOAD is set)' : 'could not be downloaded';
console.log(
  `tapedeck: Electron ${pinnedElectronVersion}, the desktop app's runtime, ${why}, so \`npm start\` will say how to get it;` +
    ` the command line (npx tapedeck), browser mode (npx tapedeck serve) and npm test work without it${putBack}.`,
);
