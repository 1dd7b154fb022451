/** `tapedeck record` and `tapedeck sim` run as child processes, end to end. */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli, startCli } from '../helpers/cli.js';
import { archivedFrames, count, query } from '../helpers/db.js';
import { tradingDay } from '../../electron/node/recorder/trading-day.js';
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
  // Event lines lead with the local time; the first says what is recorded where, the last sums up.
  const lines = r.stderr.trim().split('\n');
  for (const line of lines) assert.match(line, /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} /, line);
  const text = lines.map((l) => l.slice(24));
  assert.match(text[0]!, /^recording LEVELONE_EQUITIES AAPL,MSFT,GOOG; LEVELONE_FUTURES \/ES from demo \(simulated\) into \S+demo\.db$/);
  assert.match(text[1]!, /^connected to ws:\/\/127\.0\.0\.1:\d+\/ws as \S+ \(Schwab server \S+, status NP\)$/);
  assert.match(text.at(-1)!, /^summary: \d+s, [\d,]+ updates, [\d,]+ rows, [\d,]+ frames, 0 reconnects, no problems, database [\d.]+ [KM]?B$/);
  const summary = /([\d,]+) updates, ([\d,]+) rows, ([\d,]+) frames/.exec(text.at(-1)!)!.slice(1).map((n) => Number(n.replace(/,/g, '')));
  const deltas = count(db, 'SELECT count(*) AS n FROM levelone_equities') + count(db, 'SELECT count(*) AS n FROM levelone_futures');
  assert.equal(summary[0], deltas);
  assert.equal(summary[2], archivedFrames(db).length);
  const keys = query<{ key: string }>(db, 'SELECT DISTINCT key FROM levelone_equities ORDER BY key').map((x) => x.key);
  assert.deepEqual(keys, ['AAPL', 'GOOG', 'MSFT']);
  assert.ok(count(db, "SELECT count(*) AS n FROM levelone_futures WHERE key = '/ES'") > 0);
  assert.ok(archivedFrames(db).length > 0);
  const sessions = query<{ provider: string; end_reason: string }>(db, 'SELECT provider, end_reason FROM sessions');
  assert.deepEqual(sessions, [{ provider: 'demo', end_reason: 'logged out' }]);
});

test('the summary counts reconnects and problems by kind; connect lines say where and as whom', async () => {
  const db = join(tmp.dir, 'faults.db');
  // Each connection gets a malformed frame after 0.3 s and is dropped after 1 s.
  const r = await runCli(['record', '--db', db, '--duration', '3.5', '--fault', 'malformed:0.3', '--fault', 'drop:1']);
  assert.equal(r.code, 0, r.stderr);
  const text = r.stderr.trim().split('\n').map((l) => l.slice(24));
  // Connections that logged in: each was dropped, but the last, which logged out at the end.
  const dropped = count(db, "SELECT count(*) AS n FROM sessions WHERE end_reason LIKE 'connection dropped%'");
  const connections = dropped + count(db, "SELECT count(*) AS n FROM sessions WHERE end_reason = 'logged out'");
  assert.ok(dropped >= 1, r.stderr);
  assert.equal(text.filter((l) => /^connected to /.test(l)).length, 1, r.stderr);
  assert.equal(text.filter((l) => /^reconnected to ws:\/\/127\.0\.0\.1:\d+\/ws as \S+ \(Schwab server /.test(l)).length, connections - 1, r.stderr);
  assert.equal(text.filter((l) => l === 'disconnected: connection dropped (close code 1006)').length, dropped, r.stderr);
  const summary = text.at(-1)!;
  assert.match(summary, new RegExp(`^summary: \\d+s, .*, ${connections - 1} reconnects?, problems: [a-z-]+ \\d+(, [a-z -]+ \\d+)*, database `), r.stderr);
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
    const frames = archivedFrames(db).length;
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
  const lastFrameAt = Math.max(...archivedFrames(db).filter((f) => f.sessionId === 1).map((f) => f.receivedAt));

  const next = await runCli(['record', '--db', db, '--duration', '1']);
  assert.equal(next.code, 0, next.stderr);
  assert.match(next.stderr, /closed 1 session left open by a run that ended unexpectedly/);
  const sessions = query<{ id: number; ended_at: number; end_reason: string }>(db, 'SELECT id, ended_at, end_reason FROM sessions ORDER BY id');
  assert.deepEqual(sessions[0], { id: 1, ended_at: lastFrameAt, end_reason: 'process ended unexpectedly' });
  assert.equal(sessions.length, 2);
  assert.equal(sessions[1]!.end_reason, 'logged out');
});

test('record --rotate daily writes the file named with the New York date, and says so', async () => {
  const base = join(tmp.dir, 'daily', 'ticks.db');
  const { mkdirSync } = await import('node:fs');
  mkdirSync(join(tmp.dir, 'daily'));
  const r = await runCli(['record', '--db', base, '--rotate', 'daily', '--retain-days', '30', '--min-free-mb', '0', '--duration', '1']);
  assert.equal(r.code, 0, r.stderr);
  const day = tradingDay(Date.now());
  const file = join(tmp.dir, 'daily', `ticks-${day}.db`);
  assert.match(r.stderr, new RegExp(`into ${file.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}\\n`));
  assert.ok(archivedFrames(file).length > 0);
});
