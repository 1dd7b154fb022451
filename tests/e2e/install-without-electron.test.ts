/**
 * The README's `npm install`, in a fresh clone of this repository at HEAD, where Electron's binary
 * cannot be downloaded (ELECTRON_MIRROR points at a loopback port nothing listens on, and Electron's
 * download cache is an empty folder): the install exits 0 with one line saying what that means,
 * the command line works, and `npm start` explains in a short paragraph instead of failing in
 * node-gyp. Slow: a fresh install compiles better-sqlite3 (a minute or two).
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { existsSync } from 'node:fs';
import { setPriority } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { fileURLToPath } from 'node:url';
import { tempDir } from '../helpers/tmp.js';
import { extendTestDeadline } from '../helpers/test-deadline.js';

const repo = fileURLToPath(new URL('../..', import.meta.url));
const tmp = tempDir('install');
after(() => tmp.cleanup());

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

  const install = await run('npm', ['install'], { cwd: clone, env });
  assert.equal(install.code, 0, install.output);
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
