/** `tapedeck record` and `tapedeck sim` run as child processes, end to end. */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli, startCli } from '../helpers/cli.js';
import { count, query } from '../helpers/db.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const tmp = tempDir('cli');
after(() => tmp.cleanup());

test('sim prints its real URL once ready and serves until SIGTERM', async () => {
  const sim = startCli(['sim', '--port', '0']);
  const url = await waitFor('the listening line', () => /listening on (http:\/\/127\.0\.0\.1:(\d+))/.exec(sim.stdout())?.[1]);
  assert.notEqual(new URL(url).port, '0');
  const res = await fetch(`${url}/v1/oauth/authorize?client_id=k&redirect_uri=${encodeURIComponent('https://127.0.0.1:8182')}`);
  assert.equal(res.status, 200);
  assert.match(await res.text(), /id="accept"/);
  sim.child.kill('SIGTERM');
  assert.equal((await sim.exit).code, 0);
});

test('record --provider demo needs only --db: the tutorial symbols, level one, flushed on exit', async () => {
  const db = join(tmp.dir, 'demo.db');
  const r = await runCli(['record', '--db', db, '--duration', '2']);
  assert.equal(r.code, 0, r.stderr);
  assert.equal(r.stdout, '');
  // Not a terminal: no status line, no carriage returns.
  assert.doesNotMatch(r.stderr, /\r/);
  const keys = query<{ key: string }>(db, 'SELECT DISTINCT key FROM levelone_equities ORDER BY key').map((x) => x.key);
  assert.deepEqual(keys, ['AAPL', 'GOOG', 'MSFT']);
  assert.ok(count(db, "SELECT count(*) AS n FROM levelone_futures WHERE key = '/ES'") > 0);
  assert.ok(count(db, 'SELECT count(*) AS n FROM frames') > 0);
  const sessions = query<{ provider: string; end_reason: string }>(db, 'SELECT provider, end_reason FROM sessions');
  assert.deepEqual(sessions, [{ provider: 'demo', end_reason: 'logged out' }]);
});

test('SIGINT and SIGTERM flush and exit 0', async () => {
  for (const signal of ['SIGINT', 'SIGTERM'] as const) {
    const db = join(tmp.dir, `signal-${signal}.db`);
    const rec = startCli(['record', '--db', db, '--rate', '500']);
    await waitFor('rows committed', () => {
      try {
        return count(db, 'SELECT count(*) AS n FROM levelone_equities') > 20;
      } catch {
        return false;
      }
    });
    rec.child.kill(signal);
    assert.equal((await rec.exit).code, 0, rec.stderr());
    const frames = count(db, 'SELECT count(*) AS n FROM frames');
    const rows = count(db, 'SELECT count(*) AS n FROM levelone_equities') + count(db, 'SELECT count(*) AS n FROM levelone_futures');
    assert.ok(frames > 0 && rows > 20);
    assert.equal(count(db, 'SELECT count(*) AS n FROM sessions WHERE ended_at IS NULL'), 0);
  }
});

test('kill -9 mid-recording leaves a database that opens and passes integrity_check', async () => {
  for (let round = 0; round < 3; round++) {
    const db = join(tmp.dir, `killed-${round}.db`);
    const rec = startCli(['record', '--db', db, '--rate', '2000', '--symbols', 'AAPL,MSFT,GOOG,AMZN,TSLA,/ES,/NQ']);
    const threshold = 50 + round * 400;
    await waitFor('rows committed', () => {
      try {
        return count(db, 'SELECT count(*) AS n FROM levelone_equities') > threshold;
      } catch {
        return false;
      }
    });
    rec.child.kill('SIGKILL');
    await rec.exit;
    const conn = new Database(db);
    try {
      assert.equal(conn.pragma('integrity_check', { simple: true }), 'ok');
      const n = conn.prepare('SELECT count(*) AS n FROM levelone_equities').get() as { n: number };
      assert.ok(n.n > threshold);
    } finally {
      conn.close();
    }
  }
});

test('the next run closes the sessions row a kill -9 left open, at the time of its last frame', async () => {
  const db = join(tmp.dir, 'crashed.db');
  const rec = startCli(['record', '--db', db, '--rate', '500']);
  await waitFor('rows committed', () => {
    try {
      return count(db, 'SELECT count(*) AS n FROM levelone_equities') > 50;
    } catch {
      return false;
    }
  });
  rec.child.kill('SIGKILL');
  await rec.exit;
  assert.deepEqual(query(db, 'SELECT id, ended_at, end_reason FROM sessions'), [{ id: 1, ended_at: null, end_reason: null }]);
  const lastFrameAt = count(db, 'SELECT max(received_at) AS n FROM frames WHERE session_id = 1');

  const next = await runCli(['record', '--db', db, '--duration', '1']);
  assert.equal(next.code, 0, next.stderr);
  assert.match(next.stderr, /closed 1 session left open by a run that ended unexpectedly/);
  const sessions = query<{ id: number; ended_at: number; end_reason: string }>(db, 'SELECT id, ended_at, end_reason FROM sessions ORDER BY id');
  assert.deepEqual(sessions[0], { id: 1, ended_at: lastFrameAt, end_reason: 'process ended unexpectedly' });
  assert.equal(sessions.length, 2);
  assert.equal(sessions[1]!.end_reason, 'logged out');
});

test('user errors are one clear line and a non-zero exit, never a stack trace', async () => {
  const blocker = join(tmp.dir, 'a-file');
  writeFileSync(blocker, 'x');
  const cases: { args: string[]; message: RegExp }[] = [
    { args: ['record', '--db', join(tmp.dir, 'x.db'), '--bogus'], message: /unknown flag '--bogus'/ },
    { args: ['record', '--db', join(tmp.dir, 'x.db'), '--symbols', 'AAPL,??'], message: /'\?\?' is not a valid symbol/ },
    { args: ['record', '--db', join(tmp.dir, 'x.db'), '--duration', 'soon'], message: /--duration must be a number/ },
    { args: ['record', '--db', join(blocker, 'sub', 'x.db')], message: /cannot create database/ },
    { args: ['record'], message: /--db is required/ },
    { args: ['record', '--db', join(tmp.dir, 'denied.db'), '--fault', 'deny-login'], message: /login denied \(code 3/ },
    { args: ['record', '--db', join(tmp.dir, 'x.db'), '--fault', 'meteor'], message: /--fault/ },
    { args: ['frobnicate'], message: /unknown command 'frobnicate'/ },
    { args: ['export', '--db', join(tmp.dir, 'missing.db'), '--out', join(tmp.dir, 'o.db')], message: /does not exist/ },
  ];
  for (const c of cases) {
    const r = await runCli(c.args);
    assert.notEqual(r.code, 0, c.args.join(' '));
    const lines = r.stderr.trim().split('\n');
    assert.equal(lines.length, 1, `${c.args.join(' ')}:\n${r.stderr}`);
    assert.match(lines[0] ?? '', /^tapedeck: /);
    assert.match(lines[0] ?? '', c.message);
    assert.doesNotMatch(r.stderr, /\n\s+at /);
  }
});

/** A loopback port nothing listens on (taken, then released). */
async function closedPort(): Promise<number> {
  const { createServer } = await import('node:net');
  const srv = createServer();
  await new Promise<void>((r) => srv.listen(0, '127.0.0.1', r));
  const port = (srv.address() as { port: number }).port;
  await new Promise<void>((r) => srv.close(() => r()));
  return port;
}

test('an unreachable endpoint is reported in one line', async () => {
  const port = await closedPort();
  const tokenFile = join(tmp.dir, 'unreachable-token.json');
  writeFileSync(
    tokenFile,
    JSON.stringify({ provider: 'schwab', access_token: 'a', refresh_token: 'r', expires_at: Date.now() + 3_600_000, refresh_expires_at: 0 }),
    { mode: 0o600 },
  );
  const r = await runCli([
    'record', '--provider', 'schwab', '--db', join(tmp.dir, 'u.db'), '--token-file', tokenFile,
    '--api-base', `http://127.0.0.1:${port}`, '--app-key', 'k', '--app-secret', 's',
  ]);
  assert.equal(r.code, 1);
  assert.equal(r.stderr.trim(), `tapedeck: cannot reach http://127.0.0.1:${port}: ECONNREFUSED`);
});
