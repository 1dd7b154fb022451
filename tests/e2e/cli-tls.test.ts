/**
 * Our client over TLS, the production way, for both dialects: `tapedeck sim --tls` with its own
 * certificate; `login` and `record` trust it through `--ca-file` or NODE_EXTRA_CA_CERTS. Schwab's
 * user preference names a full wss:// URL; TD's principals name a bare HOST:PORT from which the
 * client builds wss://HOST:PORT/ws, as the real TD clients did (docs/protocol/tdameritrade.md §3.1).
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { Agent, setGlobalDispatcher } from 'undici';
import { runCli, startCli, type CliRun } from '../helpers/cli.js';
import { count } from '../helpers/db.js';
import { acceptInBrowser } from '../helpers/sim-login.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const tmp = tempDir('cli-tls');
const APP = ['--app-key', 'tls-app-key', '--app-secret', 'tls-app-secret'];

describe('login and record over TLS against tapedeck sim --tls', () => {
  let sim: CliRun;
  let simUrl = '';
  const certFile = join(tmp.dir, 'sim-ca.pem');

  before(async () => {
    sim = startCli(['sim', '--port', '0', '--tls', '--cert-out', certFile, '--rate', '400']);
    simUrl = await waitFor('sim URL', () => /listening on (https:\S+)/.exec(sim.stdout())?.[1]);
    // This process plays the user's browser on the simulator's authorize page: it trusts the certificate too.
    setGlobalDispatcher(new Agent({ connect: { ca: readFileSync(certFile, 'utf8') } }));
  });
  after(async () => {
    sim.child.kill('SIGTERM');
    await sim.exit;
    tmp.cleanup();
  });

  async function login(provider: 'schwab' | 'tdameritrade', tokenFile: string): Promise<void> {
    const callback = provider === 'schwab' ? 'https://127.0.0.1:8182' : 'http://127.0.0.1:8182';
    const run = startCli(['login', '--provider', provider, '--manual', '--callback', callback, '--token-file', tokenFile, '--api-base', simUrl, '--auth-base', simUrl, '--ca-file', certFile, ...APP]);
    try {
      // Schwab's page is /v1/oauth/authorize, TD's /auth (docs/protocol/*.md §1).
      const authorizeUrl = await waitFor('the authorize URL', () => /^(https:\S+\/(?:v1\/oauth\/authorize|auth)\?\S+)$/m.exec(run.stdout())?.[1] ?? (run.child.exitCode !== null ? `exited: ${run.stderr()}` : null));
      assert.match(authorizeUrl, /^https:/, authorizeUrl);
      run.child.stdin.end((await acceptInBrowser(authorizeUrl)) + '\n');
      const { code } = await run.exit;
      assert.equal(code, 0, run.stderr());
    } finally {
      if (run.child.exitCode === null) run.child.kill('SIGKILL');
    }
  }

  test('schwab: login and record with --ca-file stream over wss://', async () => {
    const tokenFile = join(tmp.dir, 'schwab-token.json');
    await login('schwab', tokenFile);
    const db = join(tmp.dir, 'schwab.db');
    const r = await runCli(['record', '--provider', 'schwab', '--db', db, '--token-file', tokenFile, '--api-base', simUrl, '--ca-file', certFile, '--symbols', 'AAPL,MSFT', '--duration', '4', ...APP]);
    assert.equal(r.code, 0, r.stderr);
    assert.ok(count(db, 'SELECT count(*) AS n FROM levelone_equities') > 0, r.stderr);
    assert.ok(count(db, "SELECT count(*) AS n FROM sessions WHERE url LIKE 'wss://%'") > 0, 'the session was opened on wss://');
  });

  test('tdameritrade: the bare host from the principals becomes wss://HOST/ws, trusted through NODE_EXTRA_CA_CERTS', async () => {
    const tokenFile = join(tmp.dir, 'td-token.json');
    await login('tdameritrade', tokenFile);
    const db = join(tmp.dir, 'td.db');
    const r = await runCli(
      ['record', '--provider', 'tdameritrade', '--db', db, '--token-file', tokenFile, '--api-base', simUrl, '--symbols', 'AAPL,MSFT', '--duration', '4', ...APP],
      { NODE_EXTRA_CA_CERTS: certFile },
    );
    assert.equal(r.code, 0, r.stderr);
    assert.ok(count(db, 'SELECT count(*) AS n FROM quote') > 0, r.stderr);
    const urls = count(db, "SELECT count(*) AS n FROM sessions WHERE url LIKE 'wss://127.0.0.1:%/ws'");
    assert.ok(urls > 0, 'the session was opened on wss://HOST:PORT/ws');
  });

  test('without the certificate trusted, record says the certificate is not accepted', async () => {
    const tokenFile = join(tmp.dir, 'schwab-token-untrusted.json');
    await login('schwab', tokenFile);
    const r = await runCli(['record', '--provider', 'schwab', '--db', join(tmp.dir, 'untrusted.db'), '--token-file', tokenFile, '--api-base', simUrl, '--symbols', 'AAPL', '--duration', '2', ...APP]);
    assert.match(r.stderr, /certificate is not accepted/);
  });

  test('a --ca-file that holds no certificate is refused before anything starts', async () => {
    const r = await runCli(['record', '--provider', 'schwab', '--db', join(tmp.dir, 'x.db'), '--token-file', join(tmp.dir, 'schwab-token.json'), '--api-base', simUrl, '--ca-file', join(tmp.dir, 'schwab.db'), ...APP]);
    assert.equal(r.code, 1);
    assert.match(r.stderr, /--ca-file: .* holds no PEM certificate/);
  });
});
