/**
 * README "Command line", record: "On a terminal a live status line (updates/s, rows, reconnects,
 * database size) is redrawn below them." The terminal is a real pseudo-terminal from util-linux
 * `script`; without one (a pipe) the same run writes no status line at all.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { BIN, runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('cli-tty');
after(() => tmp.cleanup());

const shellQuote = (s: string) => `'${s.replace(/'/g, `'\\''`)}'`;

/** Runs the CLI with stdout and stderr on a pseudo-terminal; resolves with everything the terminal showed. */
function runOnTerminal(args: string[], timeoutMs: number): Promise<{ code: number | null; screen: string }> {
  const command = [process.execPath, BIN, ...args].map(shellQuote).join(' ');
  // -q: no "Script started" banner; -e: script exits with the command's code; -f: flush as written.
  const child = spawn('script', ['-qefc', command, '/dev/null'], { stdio: ['ignore', 'pipe', 'pipe'] });
  let screen = '';
  child.stdout.on('data', (d: Buffer) => (screen += d.toString()));
  child.stderr.on('data', (d: Buffer) => (screen += d.toString()));
  return new Promise((resolve, reject) => {
    const timer = setTimeout(() => {
      child.kill('SIGKILL');
      reject(new Error(`record on a terminal did not exit within ${timeoutMs} ms:\n${screen}`));
    }, timeoutMs);
    child.on('exit', (code) => {
      clearTimeout(timer);
      resolve({ code, screen });
    });
  });
}

const STATUS = /\r\x1b\[Kdemo \(simulated\): streaming \| ([\d,]+) upd\/s \| rows ([\d,]+) \| reconnects (\d+) \| ([\d.]+ [KMG]?B)/g;

test('record on a terminal redraws a live status line (updates/s, rows, reconnects, database size); through a pipe it writes none', { timeout: 60_000 }, async () => {
  const onTty = await runOnTerminal(['record', '--db', join(tmp.dir, 'tty.db'), '--duration', '3', '--rate', '500'], 45_000);
  assert.equal(onTty.code, 0, onTty.screen);
  const draws = [...onTty.screen.matchAll(STATUS)].map((m) => ({ perSec: Number(m[1]!.replace(/,/g, '')), rows: Number(m[2]!.replace(/,/g, '')), size: m[4]! }));
  assert.ok(draws.length >= 2, `no live status line redrawn while streaming:\n${JSON.stringify(onTty.screen)}`);
  // Live: the counts move from one redraw to the next.
  assert.ok(draws.some((d) => d.perSec > 0), JSON.stringify(draws));
  assert.ok(new Set(draws.map((d) => d.rows)).size >= 2, JSON.stringify(draws));
  // The line is cleared before the summary, so the summary is the terminal's last line, whole.
  assert.match(onTty.screen, /\r\x1b\[K\d{4}-\d\d-\d\d [\d:.]+ summary: [^\r\n]+\r?\n$/);

  const piped = await runCli(['record', '--db', join(tmp.dir, 'pipe.db'), '--duration', '3', '--rate', '500']);
  assert.equal(piped.code, 0, piped.stderr);
  assert.doesNotMatch(piped.stderr, /upd\/s|\r|\x1b/);
  assert.match(piped.stderr, /summary: /);
});
