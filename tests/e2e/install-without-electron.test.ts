/**
 * The README's `npm install`, in a fresh clone of this repository at HEAD, where Electron's binary
 * cannot be downloaded (ELECTRON_MIRROR points at a loopback port nothing listens on, and Electron's
 * download cache is an empty folder): the install exits 0 with one line saying what that means,
 * the command line works, and `npm start` explains in a short paragraph instead of failing in
 * node-gyp. better-sqlite3's prebuilt binary comes, as it does for a user online, from a download
 * host: here a loopback mirror serving the build this checkout already made (its own install, and
 * CI's `npm ci`, compile it from source), so the test does not spend two minutes compiling it again.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync, readFileSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import { arch, platform, setPriority } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/tmp.js';
import { extendTestDeadline } from '../helpers/test-deadline.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const tmp = tempDir('install');
let mirror: Server | null = null;
/** Downloads of the prebuilt binary the mirror served. */
let served = 0;
after(async () => {
  await new Promise<void>((r) => (mirror ? mirror.close(() => r()) : r()));
  tmp.cleanup();
});

/**
 * A download host for better-sqlite3's prebuilt binary (prebuild-install's
 * npm_config_better_sqlite3_binary_host): the one tarball a fresh install of this Node asks for,
 * made from the binary this checkout built. Returns the host's URL.
 */
async function startPrebuiltMirror(): Promise<string> {
  const pkg = join(repo, 'node_modules', 'better-sqlite3');
  const { version } = JSON.parse(readFileSync(join(pkg, 'package.json'), 'utf8')) as { version: string };
  const tarball = join(tmp.dir, 'prebuilt.tar.gz');
  const packed = await run('tar', ['-czf', tarball, '-C', pkg, 'build/Release/better_sqlite3.node'], { cwd: tmp.dir, env: process.env });
  assert.equal(packed.code, 0, packed.output);
  const path = `/v${version}/better-sqlite3-v${version}-node-v${process.versions.modules}-${platform()}-${arch()}.tar.gz`;
  const body = readFileSync(tarball);
  mirror = createServer((req, res) => {
    if (req.url === path && ++served) res.writeHead(200, { 'content-type': 'application/gzip', 'content-length': body.length }).end(body);
    else res.writeHead(404).end();
  });
  await new Promise<void>((r) => mirror!.listen(0, '127.0.0.1', r));
  return `http://127.0.0.1:${(mirror.address() as { port: number }).port}`;
}

/** Runs a command to its end; `output` is stdout and stderr together. */
function run(cmd: string, args: string[], options: { cwd: string; env: NodeJS.ProcessEnv }): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn(cmd, args, { ...options, stdio: ['ignore', 'pipe', 'pipe'], shell: process.platform === 'win32' });
    // Below the other tests running beside it (npm's children inherit it): compiling better-sqlite3
    // must not starve their browsers and sockets.
    try {
      if (child.pid) setPriority(child.pid, 10);
    } catch {
      // not permitted here: run at normal priority
    }
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, output }));
  });
}

// The environment of someone who just cloned: none of the npm_* variables `npm test` sets for its
// own scripts (npm_config_local_prefix would point npm back at this checkout), and no
// ELECTRON_SKIP_BINARY_DOWNLOAD (.ci/run sets it). npm's package cache is kept: it only saves time.
const env: NodeJS.ProcessEnv = Object.fromEntries(
  Object.entries(process.env).filter(([k]) => !/^npm_/i.test(k) && k !== 'ELECTRON_SKIP_BINARY_DOWNLOAD' && k !== 'INIT_CWD'),
);
if (process.env.npm_config_cache) env.npm_config_cache = process.env.npm_config_cache;
env.ELECTRON_MIRROR = 'http://127.0.0.1:9/';
env.electron_config_cache = join(tmp.dir, 'electron-cache');

test('npm install succeeds where Electron cannot be downloaded, says so in one line, and the CLI works', { timeout: 20 * 60_000 }, async () => {
  extendTestDeadline(20 * 60_000);
  const clone = join(tmp.dir, 'clone');
  const cloned = await run('git', ['clone', '--quiet', repo, clone], { cwd: tmp.dir, env });
  assert.equal(cloned.code, 0, cloned.output);

  const install = await run('npm', ['install'], { cwd: clone, env: { ...env, npm_config_better_sqlite3_binary_host: await startPrebuiltMirror() } });
  assert.equal(install.code, 0, install.output);
  assert.equal(served, 1, `better-sqlite3 was not fetched from the mirror (compiled instead?)\n${install.output}`);
  const explaining = install.output.split('\n').filter((line) => line.startsWith('tapedeck:'));
  assert.equal(explaining.length, 1, install.output);
  assert.match(explaining[0]!, /^tapedeck: Electron [\d.]+, the desktop app's runtime, could not be downloaded, .*npx tapedeck serve/);
  // The package is back without its binary, so the Electron sources type-check.
  assert.ok(existsSync(join(clone, 'node_modules', 'electron', 'electron.d.ts')), 'node_modules/electron was not put back');

  const help = await run('npx', ['tapedeck', '--help'], { cwd: clone, env });
  assert.equal(help.code, 0, help.output);
  assert.match(help.output, /usage: tapedeck/);

  const start = await run('npm', ['start'], { cwd: clone, env });
  assert.equal(start.code, 1, start.output);
  assert.match(start.output, /the desktop app cannot start: Electron [\d.]+'s binary was not downloaded/);
  assert.match(start.output, /npm rebuild electron/);
  assert.match(start.output, /`npx tapedeck serve`/);
  assert.doesNotMatch(start.output, /gyp/);
});
