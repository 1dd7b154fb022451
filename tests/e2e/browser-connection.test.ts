/**
 * The connection as the status bar and Settings show it, in the real renderer, in real Chromium:
 * `tapedeck serve` logged in as Schwab to a `tapedeck sim` of each test's own. serve's built-in
 * demo cannot be told to drop (serve has no --fault), so drops come from the sim's `--fault drop`
 * and a dead broker from stopping the sim.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Page } from 'playwright-core';
import { logInWithSim, startServedApp, waitForNumber, type ServedApp } from '../helpers/browser-app.js';
import { startCli, type CliRun } from '../helpers/cli.js';
import { waitFor, waitForAsync } from '../helpers/wait.js';
import { BROWSER_FEED_RATE } from '../helpers/chromium.js';

const status = (page: Page) => page.getByRole('contentinfo', { name: 'Status' });
const numberIn = async (page: Page, text: RegExp) => Number(((await status(page).getByText(text).textContent()) ?? '').replace(/[^\d]/g, ''));

/** A simulator for one test, stopped when the test ends (if the test has not stopped it). */
async function startSim(t: TestContext, ...args: string[]): Promise<{ sim: CliRun; url: string }> {
  const sim = startCli(['sim', '--port', '0', '--rate', String(BROWSER_FEED_RATE), '--seed', '5', ...args]);
  t.after(async () => {
    if (sim.child.exitCode === null && sim.child.signalCode === null) sim.child.kill('SIGTERM');
    await sim.exit;
  });
  const url = await waitFor('sim URL', () => /listening on (\S+)/.exec(sim.stdout())?.[1], 30_000);
  return { sim, url };
}

/** Logs the app in to the sim and waits for live Schwab rows. */
async function streamFrom(page: Page, app: ServedApp, simUrl: string): Promise<void> {
  const login = await logInWithSim(page, app.url, simUrl);
  await login.close();
  await page.getByRole('dialog').getByRole('button', { name: 'Close' }).click();
  await status(page).locator('.provider', { hasText: 'Schwab' }).waitFor({ timeout: 20_000 });
  await waitForAsync('streaming', async () => /streaming/.test((await status(page).locator('.conn').textContent()) ?? ''), 30_000);
  await waitForNumber(page, 'AAPL');
}

describe('connection state in a browser', () => {
  let app: ServedApp;

  before(async () => {
    app = await startServedApp({ prefix: 'browser-connection' });
  });

  after(async () => {
    await app?.stop();
  });

  test('the status bar counts updates, latency, reconnects and rows; a dead broker shows the retry countdown', async (t) => {
    const { sim, url } = await startSim(t, '--fault', 'drop:every=3');
    const page = await app.open(t);
    await streamFrom(page, app, url);

    await waitForAsync('updates per second', async () => (await numberIn(page, /^[\d,]+ upd\/s$/)) > 0);
    await status(page).getByText(/^\d+ ms$/).waitFor({ timeout: 15_000 });
    // The sim cuts the socket every 3 s: the reconnects count goes up and streaming resumes.
    const reconnects = await numberIn(page, /^reconnects \d+$/);
    await waitForAsync('two more reconnects', async () => (await numberIn(page, /^reconnects \d+$/)) >= reconnects + 2, 30_000);
    const rows = await numberIn(page, /^rows [\d,]+$/);
    await waitForAsync('rows growing', async () => (await numberIn(page, /^rows [\d,]+$/)) > rows, 15_000);

    // The broker goes away: failed attempts wait longer and longer, and the status counts down.
    sim.child.kill('SIGTERM');
    await sim.exit;
    const conn = status(page).locator('.conn');
    const retryIn = async () => Number(/waiting — retry in (\d+) s/.exec((await conn.textContent()) ?? '')?.[1] ?? NaN);
    const first = await waitForAsync('a retry at least 2 s away', async () => {
      const n = await retryIn();
      return n >= 2 ? n : null;
    }, 60_000);
    await waitForAsync('the countdown going down', async () => (await retryIn()) === first - 1, 10_000);
  });

  test('Settings › Log out forgets the login', async (t) => {
    const { url } = await startSim(t);
    const page = await app.open(t);
    await streamFrom(page, app, url);
    await page.getByRole('button', { name: 'Settings' }).click();
    let dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.getByText(/^Logged in/).waitFor();
    await dialog.getByRole('button', { name: 'Log out' }).click();
    await dialog.getByText('Not logged in.').waitFor();
    assert.equal(await dialog.getByRole('button', { name: 'Log out' }).isDisabled(), true);
    await dialog.getByRole('button', { name: 'Close' }).click();
    // The host forgot it, not just this page: a fresh page says the same.
    await page.reload();
    await page.getByRole('button', { name: 'Settings' }).click();
    dialog = page.getByRole('dialog', { name: 'Settings' });
    await dialog.getByText('Not logged in.').waitFor();
    await dialog.getByRole('button', { name: 'Close' }).click();
  });
});
