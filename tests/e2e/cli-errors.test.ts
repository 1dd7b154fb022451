/**
 * The command line's one error style, case by case, each run as a child process: usage errors exit
 * 2 with `tapedeck <command>: <what> (see 'tapedeck <command> --help')`, runtime errors exit 1 with
 * `tapedeck <command>: <the real cause>`; one line, no stack trace, and every case ends in bounded
 * time (a path that once made serve spin, /proc/x, included).
 */
import assert from 'node:assert/strict';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { after, before, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('cli-errors');
const file = join(tmp.dir, 'a-file');
const folder = join(tmp.dir, 'a-folder');
/**
 * A database path of its own per case: cases run two at a time, and two recorders on one file are
 * (rightly) refused as a second writer.
 */
let dbCount = 0;
const db = (): string => join(tmp.dir, `x${++dbCount}.db`);
const tokenFile = join(tmp.dir, 'schwab-token.json');
/** Each case must finish well within this; a hang fails with the case's name. */
const CASE_TIMEOUT_MS = 20_000;

/** A loopback port nothing listens on (taken, then released), and one held busy for the run. */
let closedPort = 0;
let busy: Server;
let busyPort = 0;

async function listen(): Promise<Server> {
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  return srv;
}

before(async () => {
  writeFileSync(file, 'x');
  mkdirSync(folder);
  writeFileSync(
    tokenFile,
    JSON.stringify({ provider: 'schwab', access_token: 'a', refresh_token: 'r', expires_at: Date.now() + 3_600_000, refresh_expires_at: 0 }),
    { mode: 0o600 },
  );
  const released = await listen();
  closedPort = (released.address() as { port: number }).port;
  await new Promise<void>((r) => released.close(() => r()));
  busy = await listen();
  busyPort = (busy.address() as { port: number }).port;
});
after(async () => {
  await new Promise<void>((r) => busy.close(() => r()));
  tmp.cleanup();
});

interface Case {
  args: () => string[];
  /** 2: the command line is wrong; 1: what it points at is. */
  exit: 1 | 2;
  /** The <what> of the line, whole. */
  what: RegExp;
  env?: Record<string, string>;
}

const APP = ['--app-key', 'k', '--app-secret', 's'];
/** No app key from the environment of whoever runs the tests. */
const NO_APP_ENV = { TAPEDECK_APP_KEY: '', TAPEDECK_APP_SECRET: '' };

const CASES: Case[] = [
  // Usage: exit 2, and a pointer to --help.
  { args: () => ['record', '--db', db(), '--bogus'], exit: 2, what: /^unknown flag '--bogus'$/ },
  { args: () => ['record', '--db'], exit: 2, what: /^--db needs a value$/ },
  { args: () => ['record', '--db', '--duration', '5'], exit: 2, what: /^--db needs a value \(write --db=VALUE for one that starts with '-'\)$/ },
  { args: () => ['record', '--db', db(), 'extra'], exit: 2, what: /^unexpected argument 'extra' \(values follow their flag, as in --db FILE\)$/ },
  { args: () => ['record', '--db', db(), '--rotate'], exit: 2, what: /^--rotate needs a value$/ },
  { args: () => ['record', '--db', db(), '--duration', 'soon'], exit: 2, what: /^--duration must be a number >= 0, not 'soon'$/ },
  { args: () => ['record', '--db', db(), '--duration', '-5'], exit: 2, what: /^--duration must be a number >= 0, not '-5'$/ },
  { args: () => ['record', '--db', db(), '--qos', '7'], exit: 2, what: /^--qos must be a whole number from 0 to 5, not '7'$/ },
  { args: () => ['record', '--db', db(), '--symbols', 'AAPL,??'], exit: 2, what: /^--symbols: '\?\?' is not a valid symbol/ },
  { args: () => ['record', '--db', db(), '--fault', 'meteor'], exit: 2, what: /^--fault: unknown fault 'meteor'/ },
  { args: () => ['record', '--db', db(), '--rotate', 'weekly'], exit: 2, what: /^--rotate takes 'daily', not 'weekly'$/ },
  { args: () => ['record', '--db', db(), '--retain-days', '0'], exit: 2, what: /^--retain-days must be a whole number >= 1, not '0'$/ },
  { args: () => ['record', '--db', db(), '--min-free-mb', 'lots'], exit: 2, what: /^--min-free-mb must be a number >= 0, not 'lots'$/ },
  { args: () => ['record', '--provider', 'nyse', '--db', db()], exit: 2, what: /^--provider must be demo, schwab or tdameritrade, not 'nyse'$/ },
  { args: () => ['record', '--provider', 'schwab', '--db', db(), '--api-base', '127.0.0.1:9'], exit: 2, what: /^--api-base must be an http:\/\/ or https:\/\/ URL such as https:\/\/api\.schwabapi\.com, not '127\.0\.0\.1:9'$/ },
  { args: () => ['record', '--provider', 'schwab', '--db', db(), '--token-file', tokenFile], exit: 2, what: /^an app key is needed to refresh tokens \(--app-key or TAPEDECK_APP_KEY\)$/, env: NO_APP_ENV },
  { args: () => ['export', '--db', db(), '--out', join(tmp.dir, 'o.csv')], exit: 2, what: /^--table is required \(which table to write as CSV\)$/ },
  { args: () => ['export', '--db', db()], exit: 2, what: /^--out is required$/ },
  { args: () => ['replay', '--db', db(), '--speed', '-1'], exit: 2, what: /^--speed must be a number >= 0, not '-1'$/ },
  { args: () => ['sim', '--symbols', '0'], exit: 2, what: /^--symbols must be a whole number >= 1, not '0'$/ },
  { args: () => ['sim', '--port', '99999'], exit: 2, what: /^--port must be a whole number from 0 to 65535, not '99999'$/ },
  { args: () => ['sim', '--market', 'maybe'], exit: 2, what: /^--market must be open or closed, not 'maybe'$/ },
  { args: () => ['sim', '--halted', 'aapl'], exit: 2, what: /^--halted: 'aapl' is not a symbol: symbols are upper case \(AAPL\)$/ },
  { args: () => ['sim', '--delayed', ' , '], exit: 2, what: /^--delayed: needs a comma list of symbols, e\.g\. MSFT,AAPL$/ },
  { args: () => ['serve', '--port', '-1'], exit: 2, what: /^--port must be a whole number from 0 to 65535, not '-1'$/ },
  { args: () => ['login', '--provider', 'schwab', '--callback', 'localhost:8182', ...APP], exit: 2, what: /^--callback must be an http:\/\/ or https:\/\/ URL such as https:\/\/127\.0\.0\.1:8182, not 'localhost:8182'$/ },
  { args: () => ['login', '--manual=yes'], exit: 2, what: /^--manual takes no value$/ },
  { args: () => ['login'], exit: 2, what: /^--provider must be schwab or tdameritrade \(demo needs no login\)$/ },
  { args: () => ['frobnicate'], exit: 2, what: /^unknown command 'frobnicate' \(one of sim, record, login, export, replay, serve, ship\)$/ },

  // Runtime: exit 1, naming the cause.
  { args: () => ['record', '--db', folder], exit: 1, what: /^\S+a-folder is a folder, not a database file$/ },
  { args: () => ['record', '--db', join(file, 'sub', 'x.db')], exit: 1, what: /^cannot create \S+x\.db: \S+a-file is a file, not a folder$/ },
  { args: () => ['record', '--db', join(tmp.dir, 'missing', 'x.db')], exit: 1, what: /^cannot create \S+x\.db: folder \S+missing does not exist$/ },
  // The token file is what is missing: said before any question about the app key.
  { args: () => ['record', '--provider', 'schwab', '--db', db(), '--token-file', join(tmp.dir, 'none.json')], exit: 1, what: /^no token file at \S+none\.json: run 'tapedeck login --provider schwab' first$/, env: NO_APP_ENV },
  { args: () => ['record', '--provider', 'schwab', '--db', db(), '--token-file', folder, ...APP], exit: 1, what: /^token file \S+a-folder is a folder, not a file$/ },
  { args: () => ['record', '--provider', 'schwab', '--db', db(), '--token-file', tokenFile, '--api-base', `http://127.0.0.1:${closedPort}`, ...APP], exit: 1, what: /^cannot reach http:\/\/127\.0\.0\.1:\d+: connection refused$/ },
  { args: () => ['record', '--provider', 'schwab', '--db', db(), '--token-file', tokenFile, '--api-base', 'http://no-such-host.invalid', ...APP], exit: 1, what: /^cannot reach http:\/\/no-such-host\.invalid: (no such host no-such-host\.invalid|cannot look up no-such-host\.invalid \(no answer from DNS\))$/ },
  { args: () => ['record', '--db', join(tmp.dir, 'denied.db'), '--fault', 'deny-login'], exit: 1, what: /^login denied \(code 3: .+\)$/ },
  { args: () => ['export', '--db', join(tmp.dir, 'missing.db'), '--out', join(tmp.dir, 'o.db')], exit: 1, what: /^\S+missing\.db does not exist$/ },
  { args: () => ['export', '--db', folder, '--out', join(tmp.dir, 'o.db')], exit: 1, what: /^\S+a-folder is a folder, not a database file$/ },
  { args: () => ['replay', '--db', folder], exit: 1, what: /^\S+a-folder is a folder, not a database file$/ },
  { args: () => ['serve', '--user-data', file], exit: 1, what: /^--user-data \S+a-file: \S+a-file is a file, not a folder$/ },
  { args: () => ['sim', '--port', String(busyPort)], exit: 1, what: /^cannot listen on 127\.0\.0\.1:\d+: the port is in use$/ },
  { args: () => ['login', '--provider', 'schwab', '--manual', '--token-file', folder, ...APP], exit: 1, what: /^\S+a-folder is a folder, not a token file$/ },
];
// mkdir in /proc answers ENOENT, on which Node's recursive mkdir used to spin for ever.
if (existsSync('/proc/self')) {
  CASES.push({ args: () => ['serve', '--user-data', '/proc/tapedeck-test/app'], exit: 1, what: /^--user-data \/proc\/tapedeck-test\/app: cannot create folder \/proc\/tapedeck-test: \/proc does not accept new folders$/ });
}

test('every command-line error is one line in one style, with the exit code of its kind', { timeout: 240_000 }, async () => {
  const failures: string[] = [];
  // Two at a time: the machine is shared.
  const queue = [...CASES];
  const worker = async () => {
    for (let c = queue.shift(); c; c = queue.shift()) {
      const args = c.args();
      const label = `tapedeck ${args.join(' ')}`;
      try {
        const r = await runCli(args, c.env, CASE_TIMEOUT_MS);
        const command = args[0] === 'frobnicate' ? null : args[0];
        const prefix = command ? `tapedeck ${command}` : 'tapedeck';
        const lines = r.stderr.split('\n').filter((l) => l !== '');
        assert.equal(r.code, c.exit, `exit code\n${r.stderr}`);
        assert.equal(lines.length, 1, `one line\n${r.stderr}`);
        const line = lines[0]!;
        assert.ok(line.startsWith(`${prefix}: `), line);
        const help = ` (see '${prefix} --help')`;
        assert.equal(line.endsWith(help), c.exit === 2, line);
        const what = line.slice(prefix.length + 2, c.exit === 2 ? -help.length : undefined);
        assert.match(what, c.what);
      } catch (err) {
        failures.push(`${label}: ${(err as Error).message}`);
      }
    }
  };
  await Promise.all([worker(), worker()]);
  assert.deepEqual(failures, []);
});
