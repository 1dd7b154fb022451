/**
 * The session secret never reaches another local web server: in Chromium, after the app is opened
 * with its token URL, visiting another server on 127.0.0.1 or localhost (any port), or being sent
 * by that server's page to the app's own host name on its port, never carries the cookie. And a
 * page on another site that sends the tab to serve (the export attack of the security review)
 * arrives without it.
 */
import assert from 'node:assert/strict';
import { createServer, type IncomingHttpHeaders, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { launchChromium } from '../helpers/chromium.js';
import { startCli, type CliRun } from '../helpers/cli.js';
import { httpGet } from '../helpers/loopback.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const tmp = tempDir('serve-cookie');

describe('serve: the session cookie stays with serve', () => {
  let serve: CliRun;
  let other: Server;
  let otherPort = 0;
  const seen: { path: string; headers: IncomingHttpHeaders }[] = [];
  let browser: Browser;
  let context: BrowserContext;
  let page: Page;
  let openUrl: URL;
  let secret = '';

  before(async () => {
    serve = startCli(['serve', '--port', '0', '--user-data', join(tmp.dir, 'user'), '--rate', '50']);
    openUrl = new URL(await waitFor('serve URL', () => /listening on (\S+)/.exec(serve.stdout())?.[1], 30_000));
    secret = openUrl.searchParams.get('token') ?? '';
    // Another local web server, as any other tool running on this machine.
    other = createServer((req, res) => {
      const url = new URL(req.url ?? '/', 'http://x');
      seen.push({ path: url.pathname, headers: req.headers });
      const to = url.searchParams.get('to');
      res.writeHead(200, { 'Content-Type': 'text/html; charset=utf-8' });
      // A page that sends the tab elsewhere: a navigation started by this site, not by the user.
      res.end(to ? `<!doctype html><script>location.href = ${JSON.stringify(to)};</script>` : '<!doctype html><p>another server</p>');
    });
    await new Promise<void>((resolve) => other.listen(0, '127.0.0.1', resolve));
    otherPort = (other.address() as AddressInfo).port;
    browser = await launchChromium();
    context = await browser.newContext();
    page = await context.newPage();
    await page.goto(openUrl.toString());
    await page.getByRole('grid').first().waitFor({ timeout: 30_000 });
  });

  after(async () => {
    await browser?.close();
    await new Promise<void>((resolve) => other.close(() => resolve()));
    serve.child.kill('SIGTERM');
    await serve.exit;
    tmp.cleanup();
  });

  const carriesSecret = (h: IncomingHttpHeaders) => JSON.stringify(h).includes(secret) || /tapedeck_session/.test(String(h.cookie ?? ''));

  test('the browser holds the cookie for the per-launch host name only, HttpOnly and SameSite=Strict', async () => {
    const cookies = await context.cookies();
    const session = cookies.filter((c) => c.name === 'tapedeck_session');
    assert.equal(session.length, 1);
    assert.deepEqual([session[0]!.domain, session[0]!.httpOnly, session[0]!.sameSite], [openUrl.hostname, true, 'Strict']);
  });

  test('other servers on 127.0.0.1 and localhost never receive it', async () => {
    for (const host of ['127.0.0.1', 'localhost']) {
      await page.goto(`http://${host}:${otherPort}/visit-${host}`);
      await page.getByText('another server').waitFor();
    }
    const visits = seen.filter((s) => s.path.startsWith('/visit-'));
    assert.equal(visits.length, 2);
    for (const v of visits) assert.equal(carriesSecret(v.headers), false, `${v.path}: ${JSON.stringify(v.headers)}`);
  });

  test('a page of another site sending the tab to our host name on its own port does not get it', async () => {
    const landed = `http://${openUrl.hostname}:${otherPort}/landed`;
    await page.goto(`http://127.0.0.1:${otherPort}/jump?to=${encodeURIComponent(landed)}`);
    const visit = await waitFor('the redirected visit', () => seen.find((s) => s.path === '/landed'));
    assert.equal(carriesSecret(visit.headers), false, JSON.stringify(visit.headers));
  });

  test('a page of another site sending the tab to a serve export arrives without the cookie, and serve lives on', async () => {
    const target = `${openUrl.origin}/exports/..%2f`;
    const answered = page.waitForResponse((r) => r.url().startsWith(`${openUrl.origin}/exports/`), { timeout: 15_000 });
    await page.goto(`http://127.0.0.1:${otherPort}/jump?to=${encodeURIComponent(target)}`);
    assert.equal((await answered).status(), 401);
    assert.equal(serve.child.exitCode, null);
    assert.equal((await httpGet(openUrl.toString())).status, 200);
  });
});
