/**
 * README "Command line", login: "with an http://127.0.0.1:PORT callback it waits for the redirect
 * itself"; and the legacy tdameritrade login ("works the same way against any server that speaks
 * it, such as tapedeck sim"). The user's browser is played by fetch: the simulator's authorize
 * page, then the redirect it answers with, followed to the CLI's own loopback listener.
 */
import assert from 'node:assert/strict';
import { mkdirSync, readFileSync, statSync } from 'node:fs';
import { createServer } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import { startCli, type CliRun } from '../helpers/cli.js';
import { count } from '../helpers/db.js';
import { acceptInBrowser } from '../helpers/sim-login.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor, waitForAsync } from '../helpers/wait.js';

const tmp = tempDir('cli-loopback');
// An empty PATH: the CLI finds no xdg-open to start a real browser with, and says to visit the URL.
const noBrowser = join(tmp.dir, 'no-browser');
mkdirSync(noBrowser);
const ENV = { PATH: noBrowser, TAPEDECK_APP_KEY: '', TAPEDECK_APP_SECRET: '' };

function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as { port: number };
      server.close(() => resolve(port));
    });
  });
}

/** A CLI run ended with the test, should the test fail while it still waits (for a redirect, for stdin). */
function endWith(t: TestContext, run: CliRun): CliRun {
  t.after(() => {
    if (run.child.exitCode === null && run.child.signalCode === null) run.child.kill('SIGKILL');
  });
  return run;
}

/** The browser's last step: follow the broker's redirect to the loopback callback, once it listens. */
function followRedirect(location: string): Promise<Response> {
  return waitForAsync('the loopback callback to answer', () => fetch(location).catch(() => null));
}

describe('login with a loopback callback, both dialects, against tapedeck sim', () => {
  let sim: CliRun;
  let simUrl = '';
  before(async () => {
    sim = startCli(['sim', '--port', '0', '--rate', '400']);
    simUrl = await waitFor('sim URL', () => /listening on (\S+)/.exec(sim.stdout())?.[1]);
  });
  after(async () => {
    sim.child.kill('SIGTERM');
    await sim.exit;
    tmp.cleanup();
  });

  test('schwab: with an http://127.0.0.1:PORT callback login catches the redirect itself and saves the tokens', async (t) => {
    const callback = `http://127.0.0.1:${await freePort()}/callback`;
    const tokenFile = join(tmp.dir, 'schwab', 'token.json');
    const login = endWith(t, startCli(['login', '--provider', 'schwab', '--callback', callback, '--token-file', tokenFile, '--api-base', simUrl, '--auth-base', simUrl, '--app-key', 'loop-key', '--app-secret', 'loop-secret'], ENV));
    const authorizeUrl = await waitFor('the authorize URL', () => /^(http\S+\/v1\/oauth\/authorize\S+)$/m.exec(login.stdout())?.[1]);
    assert.equal(new URL(authorizeUrl).searchParams.get('redirect_uri'), callback);
    const location = await acceptInBrowser(authorizeUrl);
    assert.ok(location.startsWith(`${callback}?`), location);
    const page = await followRedirect(location);
    assert.equal(page.status, 200);
    assert.match(await page.text(), /Tapedeck received the login/);
    const { code } = await login.exit;
    assert.equal(code, 0, login.stderr());
    assert.match(login.stdout(), /^Logged in to schwab\. Tokens saved to .*token\.json; log in again before \d{4}-/m);
    // Nothing was read from stdin: the redirect itself ended the wait.
    assert.doesNotMatch(login.stdout() + login.stderr(), /[Pp]aste/);
    assert.equal(statSync(tokenFile).mode & 0o777, 0o600);
    const tokens = JSON.parse(readFileSync(tokenFile, 'utf8')) as { provider: string; access_token: string };
    assert.equal(tokens.provider, 'schwab');
    assert.ok(!login.stdout().includes(tokens.access_token));
  });

  test('tdameritrade: login on the /auth page with an http callback, then record QUOTE rows with the saved tokens', async (t) => {
    const callback = `http://127.0.0.1:${await freePort()}`;
    const tokenFile = join(tmp.dir, 'td', 'token.json');
    // TD needs no app secret.
    const login = endWith(t, startCli(['login', '--provider', 'tdameritrade', '--callback', callback, '--token-file', tokenFile, '--api-base', simUrl, '--auth-base', simUrl, '--app-key', 'TDKEY'], ENV));
    const authorizeUrl = new URL(await waitFor('the authorize URL', () => /^(http\S+\/auth\?\S+)$/m.exec(login.stdout())?.[1]));
    assert.equal(authorizeUrl.origin + authorizeUrl.pathname, `${simUrl}/auth`);
    assert.equal(authorizeUrl.searchParams.get('client_id'), 'TDKEY@AMER.OAUTHAP');
    const page = await followRedirect(await acceptInBrowser(authorizeUrl.toString()));
    assert.equal(page.status, 200);
    assert.equal((await login.exit).code, 0, login.stderr());
    const tokens = JSON.parse(readFileSync(tokenFile, 'utf8')) as { provider: string; refresh_token: string; refresh_expires_at: number };
    assert.equal(tokens.provider, 'tdameritrade');
    assert.ok(tokens.refresh_token.length > 0, 'offline access: a refresh token');
    // TD's refresh token lasted 90 days (README).
    assert.ok(tokens.refresh_expires_at > Date.now() + 80 * 86_400_000);

    const db = join(tmp.dir, 'td.db');
    const rec = startCli(['record', '--provider', 'tdameritrade', '--db', db, '--token-file', tokenFile, '--api-base', simUrl, '--symbols', 'AAPL,MSFT', '--app-key', 'TDKEY'], ENV);
    try {
      await waitFor('QUOTE rows', () => {
        try {
          return count(db, 'SELECT count(*) AS n FROM quote') > 10 || rec.child.exitCode !== null;
        } catch {
          return rec.child.exitCode !== null;
        }
      }, 30_000);
    } finally {
      rec.child.kill('SIGINT');
    }
    assert.equal((await rec.exit).code, 0, rec.stderr());
    assert.match(rec.stderr(), /connected to ws:\/\/127\.0\.0\.1:\d+\/ws as \S+ \(TD server /);
  });
});
