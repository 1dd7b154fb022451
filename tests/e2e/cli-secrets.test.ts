/**
 * README "Token file": "Tokens are never printed or logged and never stored in the database", and
 * "App key and secret can come from TAPEDECK_APP_KEY / TAPEDECK_APP_SECRET instead of flags".
 * `login` and `record` run as child processes against a real simulator; a recording proxy in front
 * of its API shows which app credentials went over the wire and every token that came back.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type SimHandle } from '../../electron/node/sim/index.js';
import { runCli, startCli } from '../helpers/cli.js';
import { basicCredentials, startRecordingProxy, type RecordingProxy } from '../helpers/recording-proxy.js';
import { acceptInBrowser } from '../helpers/sim-login.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const tmp = tempDir('cli-secrets');
const CALLBACK = 'https://127.0.0.1:8182';
/** No app credentials from the test runner's own environment. */
const NO_ENV = { TAPEDECK_APP_KEY: '', TAPEDECK_APP_SECRET: '' };

/** Consecutive 12-character pieces of a secret, and its last 12 characters. */
function piecesOf(secret: string): string[] {
  const pieces = [secret.slice(-12)];
  for (let i = 0; i + 12 <= secret.length; i += 12) pieces.push(secret.slice(i, i + 12));
  return pieces;
}

describe('app credentials and tokens of login and record', () => {
  let sim: SimHandle;
  let proxy: RecordingProxy;
  before(async () => {
    // Access tokens live 3 s, so every recording below refreshes them (and so uses the app secret).
    sim = await startSimulator({ accessTokenTtlSec: 3, heartbeatMs: 500, rate: 300 });
    proxy = await startRecordingProxy(sim.url);
  });
  after(async () => {
    await proxy.close();
    await sim.close();
    tmp.cleanup();
  });

  /** `login --manual` as a user does it, the browser played by fetch; resolves once the token file is written. */
  async function login(tokenFile: string, flags: string[], env: Record<string, string>) {
    const run = startCli(['login', '--provider', 'schwab', '--manual', '--callback', CALLBACK, '--token-file', tokenFile, '--api-base', proxy.url, '--auth-base', sim.url, ...flags], env);
    try {
      const authorizeUrl = await waitFor('the authorize URL', () => /^(http\S+\/v1\/oauth\/authorize\S+)$/m.exec(run.stdout())?.[1]);
      run.child.stdin.end((await acceptInBrowser(authorizeUrl)) + '\n');
      const { code } = await run.exit;
      assert.equal(code, 0, run.stderr());
      return { authorizeUrl: new URL(authorizeUrl), stdout: run.stdout(), stderr: run.stderr() };
    } finally {
      // A login still waiting for its pasted address would keep this file's process alive.
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }
  }

  /** Records until the access token has been refreshed at least once, then stops with SIGINT. */
  async function recordThroughARefresh(db: string, tokenFile: string, flags: string[], env: Record<string, string>) {
    const refreshes = sim.stats().refreshes;
    const rec = startCli(['record', '--provider', 'schwab', '--db', db, '--token-file', tokenFile, '--api-base', proxy.url, '--symbols', 'AAPL,/ES', ...flags], env);
    try {
      await waitFor('a token refresh while recording', () => sim.stats().refreshes > refreshes || rec.child.exitCode !== null, 30_000);
      await waitFor('streaming after the refresh', () => /reconnected|connected to/.test(rec.stderr()) || rec.child.exitCode !== null, 15_000);
    } finally {
      rec.child.kill('SIGINT');
    }
    const { code } = await rec.exit;
    assert.equal(code, 0, rec.stderr());
    return { stdout: rec.stdout(), stderr: rec.stderr() };
  }

  test('login and record take the app key and secret from TAPEDECK_APP_KEY / TAPEDECK_APP_SECRET when no flag gives them', { timeout: 90_000 }, async () => {
    const env = { TAPEDECK_APP_KEY: 'key-from-env', TAPEDECK_APP_SECRET: 'secret-from-env' };
    const tokenFile = join(tmp.dir, 'env', 'schwab-token.json');
    const before = proxy.exchanges.length;
    const { authorizeUrl } = await login(tokenFile, [], env);
    assert.equal(authorizeUrl.searchParams.get('client_id'), 'key-from-env');
    const exchanged = proxy.exchanges.slice(before).filter((e) => e.path === '/v1/oauth/token');
    assert.match(exchanged[0]?.body ?? '', /grant_type=authorization_code/);
    assert.deepEqual(basicCredentials(exchanged), ['key-from-env:secret-from-env']);

    const recorded = proxy.exchanges.length;
    await recordThroughARefresh(join(tmp.dir, 'env.db'), tokenFile, [], env);
    const refreshed = proxy.exchanges.slice(recorded).filter((e) => e.path === '/v1/oauth/token' && /grant_type=refresh_token/.test(e.body));
    assert.ok(refreshed.length >= 1, 'record refreshed the token through the API base');
    assert.deepEqual([...new Set(basicCredentials(refreshed))], ['key-from-env:secret-from-env']);

    // With neither flags nor variables, both commands say where the credentials come from.
    const noKey = await runCli(['login', '--provider', 'schwab', '--manual', '--token-file', join(tmp.dir, 'none.json'), '--api-base', proxy.url], NO_ENV);
    assert.equal(noKey.code, 2);
    assert.match(noKey.stderr, /--app-key or TAPEDECK_APP_KEY/);
    const noSecret = await runCli(['record', '--provider', 'schwab', '--db', join(tmp.dir, 'none.db'), '--token-file', tokenFile, '--api-base', proxy.url], { ...NO_ENV, TAPEDECK_APP_KEY: 'key-from-env' });
    assert.equal(noSecret.code, 2);
    assert.match(noSecret.stderr, /--app-secret or TAPEDECK_APP_SECRET/);
  });

  test('no token and no app secret is printed by login or record, or stored in any column of the database', { timeout: 90_000 }, async () => {
    const secret = 'the-app-secret-7f3a9c';
    const app = ['--app-key', 'the-app-key', '--app-secret', secret];
    const tokenFile = join(tmp.dir, 'flags', 'schwab-token.json');
    const db = join(tmp.dir, 'secrets.db');
    const first = proxy.exchanges.length;
    const signedIn = await login(tokenFile, app, NO_ENV);
    const recorded = await recordThroughARefresh(db, tokenFile, app, NO_ENV);

    // Every token the token endpoint handed out to these runs: the first pair and each rotation.
    const issued = proxy.exchanges
      .slice(first)
      .filter((e) => e.path === '/v1/oauth/token' && e.status === 200)
      .flatMap((e) => {
        const body = JSON.parse(e.response) as { access_token: string; refresh_token: string };
        return [body.access_token, body.refresh_token];
      });
    assert.ok(issued.length >= 4, 'a login and at least one refresh');
    // A part of a secret is a leak too: any 24 characters of one hold one of its 12-character pieces.
    const pieces = [...new Set([...issued, secret].flatMap(piecesOf))];

    const printed = [signedIn.stdout, signedIn.stderr, recorded.stdout, recorded.stderr].join('\n');
    assert.match(printed, /summary: /);
    for (const p of pieces) assert.ok(!printed.includes(p), `a piece of a secret was printed: ${p.slice(0, 4)}…`);

    // Every TEXT and BLOB value of every table, read as text and as bytes.
    const conn = new Database(db, { readonly: true });
    try {
      const tables = (conn.prepare("SELECT name FROM sqlite_master WHERE type = 'table'").all() as { name: string }[]).map((t) => t.name);
      assert.ok(tables.includes('frames') && tables.includes('sessions') && tables.includes('levelone_equities'), tables.join(','));
      let values = 0;
      for (const table of tables) {
        for (const row of conn.prepare(`SELECT * FROM "${table}"`).raw().iterate() as Iterable<unknown[]>) {
          for (const v of row) {
            const text = typeof v === 'string' ? v : Buffer.isBuffer(v) ? v.toString('latin1') : null;
            if (text === null) continue;
            values++;
            for (const p of pieces) assert.ok(!text.includes(p), `${table} holds a piece of a secret (${p.slice(0, 4)}…)`);
          }
        }
      }
      assert.ok(values > 100, `only ${values} text values read`);
    } finally {
      conn.close();
    }
  });
});
