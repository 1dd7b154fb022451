/**
 * A real-account round trip against `tapedeck sim`: login --manual (the user's browser played by
 * fetch on the simulator's authorize form), record with the token file, export while recording,
 * CSV, and replay from the frames archive.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { readFileSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli, startCli, type CliRun } from '../helpers/cli.js';
import { archivedFrames, count } from '../helpers/db.js';
import { tempDir } from '../helpers/tmp.js';
import { acceptInBrowser } from '../helpers/sim-login.js';
import { waitFor } from '../helpers/wait.js';

const tmp = tempDir('cli-login');
const CALLBACK = 'https://127.0.0.1:8182';
const APP = ['--app-key', 'my-app-key', '--app-secret', 'my-app-secret'];

describe('login, record, export and replay against tapedeck sim', () => {
  let sim: CliRun;
  let simUrl = '';
  const tokenFile = join(tmp.dir, 'config', 'schwab-token.json');
  const db = join(tmp.dir, 'schwab.db');

  before(async () => {
    sim = startCli(['sim', '--port', '0', '--rate', '800']);
    simUrl = await waitFor('sim URL', () => /listening on (\S+)/.exec(sim.stdout())?.[1]);
  });
  after(async () => {
    sim.child.kill('SIGTERM');
    await sim.exit;
    tmp.cleanup();
  });

  test('login --manual writes a 0600 token file and never prints a token', async () => {
    const login = startCli(['login', '--provider', 'schwab', '--manual', '--callback', CALLBACK, '--token-file', tokenFile, '--api-base', simUrl, '--auth-base', simUrl, ...APP]);
    const authorizeUrl = await waitFor('the authorize URL', () => /^(http\S+\/v1\/oauth\/authorize\S+)$/m.exec(login.stdout())?.[1]);
    const redirected = await acceptInBrowser(authorizeUrl);
    assert.ok(redirected.startsWith(CALLBACK));
    login.child.stdin.end(redirected + '\n');
    const { code } = await login.exit;
    assert.equal(code, 0, login.stderr());
    assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
    const tokens = JSON.parse(readFileSync(tokenFile, 'utf8'));
    assert.equal(tokens.provider, 'schwab');
    assert.ok(tokens.expires_at > Date.now());
    assert.ok(tokens.refresh_expires_at > tokens.expires_at);
    for (const secret of [tokens.access_token, tokens.refresh_token, 'my-app-secret']) {
      assert.ok(!login.stdout().includes(secret) && !login.stderr().includes(secret));
    }
  });

  test('a redirect with a tampered state is refused', async () => {
    const login = startCli(['login', '--provider', 'schwab', '--manual', '--callback', CALLBACK, '--token-file', join(tmp.dir, 'other.json'), '--api-base', simUrl, '--auth-base', simUrl, ...APP]);
    const authorizeUrl = await waitFor('the authorize URL', () => /^(http\S+\/v1\/oauth\/authorize\S+)$/m.exec(login.stdout())?.[1]);
    const redirected = new URL(await acceptInBrowser(authorizeUrl));
    redirected.searchParams.set('state', 'forged');
    login.child.stdin.end(redirected.toString() + '\n');
    const { code } = await login.exit;
    assert.equal(code, 1);
    assert.match(login.stderr(), /state/);
  });

  test('record with the token file, export a consistent copy while it records, then CSV', async () => {
    const rec = startCli(['record', '--provider', 'schwab', '--db', db, '--token-file', tokenFile, '--api-base', simUrl, '--symbols', 'AAPL,MSFT,/ES', ...APP]);
    await waitFor('rows', () => {
      try {
        return count(db, 'SELECT count(*) AS n FROM levelone_equities') > 100;
      } catch {
        return false;
      }
    });
    const copy = join(tmp.dir, 'copy.db');
    const exp = await runCli(['export', '--db', db, '--out', copy]);
    assert.equal(exp.code, 0, exp.stderr);
    const conn = new Database(copy, { readonly: true });
    const copied = (conn.prepare('SELECT count(*) AS n FROM levelone_equities').get() as { n: number }).n;
    assert.equal(conn.pragma('integrity_check', { simple: true }), 'ok');
    conn.close();
    assert.ok(copied > 100);
    // Recording carried on during the export.
    await waitFor('more rows after the export', () => count(db, 'SELECT count(*) AS n FROM levelone_equities') > copied);
    rec.child.kill('SIGINT');
    assert.equal((await rec.exit).code, 0, rec.stderr());

    const csv = join(tmp.dir, 'aapl.csv');
    const r = await runCli(['export', '--db', db, '--out', csv, '--table', 'levelone_equities', '--key', 'AAPL']);
    assert.equal(r.code, 0, r.stderr);
    const lines = readFileSync(csv, 'utf8').trim().split(/\r?\n/);
    assert.match(lines[0] ?? '', /received_at/);
    assert.match(lines[0] ?? '', /bid_price/);
    assert.equal(lines.length - 1, count(db, "SELECT count(*) AS n FROM levelone_equities WHERE key = 'AAPL'"));
  });

  test('replay prints every recorded update once, and --out rebuilds the same rows', async () => {
    const r = await runCli(['replay', '--db', db]);
    assert.equal(r.code, 0, r.stderr);
    const updates = r.stdout.trim().split('\n').map((l) => JSON.parse(l) as { service: string; key: string });
    const rows = count(db, 'SELECT count(*) AS n FROM levelone_equities') + count(db, 'SELECT count(*) AS n FROM levelone_futures');
    assert.equal(updates.length, rows);
    assert.ok(updates.every((u) => typeof u.key === 'string' && typeof u.service === 'string'));

    const rebuilt = join(tmp.dir, 'rebuilt.db');
    const o = await runCli(['replay', '--db', db, '--out', rebuilt]);
    assert.equal(o.code, 0, o.stderr);
    for (const table of ['levelone_equities', 'levelone_futures', 'levelone_equities_latest']) {
      assert.equal(count(rebuilt, `SELECT count(*) AS n FROM ${table}`), count(db, `SELECT count(*) AS n FROM ${table}`), table);
    }
    assert.deepEqual(archivedFrames(rebuilt).map((f) => f.text), archivedFrames(db).map((f) => f.text));
  });
});
