/**
 * The grid's delayed marker and row dimming, in real Chromium against `tapedeck serve` logged in as
 * Schwab to real simulators: one with the market forced open, MSFT delayed and TSLA halted, one with
 * the market forced closed and TSLA halted. Silence is a minute without an update by the page's
 * clock: Playwright sets the page's clock minutes ahead of the host's (timers keep running), so
 * every update that still arrives is, to the grid, minutes old, and no test waits a real minute.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Page } from 'playwright-core';
import { cell, logInWithSim, row, startServedApp, type ServedApp } from '../helpers/browser-app.js';
import { startCli, type CliRun } from '../helpers/cli.js';
import { waitFor, waitForAsync } from '../helpers/wait.js';

const STALE_TITLE = 'No update for over a minute, or trading halted';
const CLOSED_TITLE = 'Market closed: no updates expected';
/** Further than the grid's minute of silence; the grid re-checks every 5 s. */
const SILENCE_MS = 3 * 60_000;

/** A `tapedeck sim` with extra flags; resolves with its URL. */
async function startSim(args: string[]): Promise<{ run: CliRun; url: string }> {
  const run = startCli(['sim', '--port', '0', '--rate', '100', '--seed', '31', ...args]);
  const url = await waitFor('sim URL', () => /listening on (\S+)/.exec(run.stdout())?.[1], 30_000);
  return { run, url };
}

const rowState = (page: Page, symbol: string) =>
  row(page, symbol).evaluate((el) => ({ stale: el.classList.contains('stale'), title: el.getAttribute('title') }));

/** Waits until a row is (or is not) dimmed, and returns its title then. */
async function waitForRow(page: Page, symbol: string, stale: boolean, timeout = 20_000): Promise<string | null> {
  const state = await waitForAsync(`the ${symbol} row ${stale ? '' : 'not '}dimmed`, async () => {
    const s = await rowState(page, symbol);
    return s.stale === stale ? s : null;
  }, timeout);
  return state.title;
}

describe('delayed marker and dimmed rows, against the simulator', () => {
  let app: ServedApp;
  let open: { run: CliRun; url: string };
  let closed: { run: CliRun; url: string };

  before(async () => {
    app = await startServedApp({ prefix: 'browser-delayed', serveArgs: ['--rate', '50'], viewport: { width: 1440, height: 900 } });
    open = await startSim(['--market', 'open', '--delayed', 'MSFT', '--halted', 'TSLA']);
    closed = await startSim(['--market', 'closed', '--halted', 'TSLA']);
  });

  after(async () => {
    // The sims are stopped first: a failed check in stop() must not leave them running.
    for (const sim of [open, closed]) {
      if (!sim) continue;
      sim.run.child.kill('SIGTERM');
      await sim.run.exit;
    }
    await app?.stop();
  });

  /** A page of the app streaming from a simulator as Schwab, its session shown in the status bar. */
  async function streamFrom(t: TestContext, simUrl: string, session: 'regular' | 'closed'): Promise<Page> {
    const page = await app.open(t);
    const login = await logInWithSim(page, app.url, simUrl);
    await login.close();
    await page.bringToFront();
    await page.getByRole('status').getByText(/schwab/i).first().waitFor({ timeout: 20_000 });
    await page.locator(`footer .session[data-session="${session}"]`).waitFor({ timeout: 20_000 });
    return page;
  }

  test('a delayed quote shows D, named by its column and its tooltip; a real-time one shows none', async (t) => {
    const page = await streamFrom(t, open.url, 'regular');
    const marker = cell(page, 'MSFT', 'delayed');
    await waitForAsync('D in the MSFT row', async () => (await marker.textContent()) === 'D', 20_000);
    assert.equal(await marker.getAttribute('title'), 'Delayed quote');
    // The column says what D means, to the eye (tooltip) and to a screen reader (header name).
    const header = page.locator('[role=columnheader][data-column="delayed"]');
    assert.match((await header.getByRole('button').getAttribute('title')) ?? '', /^Delayed quote \(D\)/);
    assert.equal((await header.textContent())?.trim(), 'D');
    // AAPL streams from the same simulator in real time: a price, and no D.
    await waitForAsync('a price in the AAPL row', async () => /\d/.test((await cell(page, 'AAPL', 'last').textContent()) ?? ''), 20_000);
    assert.equal(await cell(page, 'AAPL', 'delayed').textContent(), '');
    assert.equal(await cell(page, 'AAPL', 'delayed').getAttribute('title'), null);
  });

  test('while the market is open a halted row is dimmed at once, a live one only after a minute without news', async (t) => {
    const page = await streamFrom(t, open.url, 'regular');
    assert.equal(await waitForRow(page, 'TSLA', true), STALE_TITLE);
    // AAPL keeps streaming: a price, and a row as bright as ever.
    await waitForAsync('a price in the AAPL row', async () => /\d/.test((await cell(page, 'AAPL', 'last').textContent()) ?? ''), 20_000);
    assert.deepEqual(await rowState(page, 'AAPL'), { stale: false, title: null });
    // A minute and more later by the page's clock, with nothing newer than that: AAPL dims too.
    await page.clock.setFixedTime(Date.now() + SILENCE_MS);
    assert.equal(await waitForRow(page, 'AAPL', true), STALE_TITLE);
  });

  test('while the market is closed silence dims no row, but a halt still does', async (t) => {
    const page = await streamFrom(t, closed.url, 'closed');
    await page.locator('footer .session').getByText('Market closed').waitFor();
    assert.equal(await waitForRow(page, 'TSLA', true), STALE_TITLE);
    await waitForAsync('a price in the AAPL row', async () => /\d/.test((await cell(page, 'AAPL', 'last').textContent()) ?? ''), 20_000);
    // The same minutes of silence that dim AAPL in an open market (the test above). The row is
    // looked at once it has shown a newer quote: that render judged it by the page's later clock.
    await page.clock.setFixedTime(Date.now() + SILENCE_MS);
    const before = await row(page, 'AAPL').textContent();
    await waitForAsync('a newer quote in the AAPL row', async () => (await row(page, 'AAPL').textContent()) !== before, 20_000);
    assert.deepEqual(await rowState(page, 'AAPL'), { stale: false, title: CLOSED_TITLE });
    assert.deepEqual(await rowState(page, 'TSLA'), { stale: true, title: STALE_TITLE });
  });
});
