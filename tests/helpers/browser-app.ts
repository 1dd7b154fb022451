/**
 * The app as a user of browser mode gets it: `tapedeck serve` (the built CLI, its own demo engine)
 * and Debian's Chromium, shared by a test file. Each test opens its own page with `open(t)`, in a
 * browser context of its own (so no test sees another's local storage, e.g. the tab it chose),
 * closed after it. Page errors, console errors and native dialogs (which do nothing in Electron,
 * so none may ever open) are collected; `stop()` ends everything, then fails on any.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BROWSER_FEED_RATE, launchChromium } from './chromium.js';
import { startCli, type CliRun } from './cli.js';
import { tempDir } from './tmp.js';
import { waitFor } from './wait.js';

export interface Viewport {
  width: number;
  height: number;
}

export const DESKTOP: Viewport = { width: 1400, height: 900 };
export const SMALL: Viewport = { width: 1024, height: 700 };

export interface ServedApp {
  /** The address `serve` printed (with its secret). */
  url: string;
  /** A temp folder for the file, removed by stop(); the user data is its `user` folder. */
  dir: string;
  userData: string;
  serve: CliRun;
  browser: Browser;
  /** A new page of the app, grid shown (toolbar only with `beforeLoad`, run before the app loads), closed when the test ends. */
  open(t: TestContext, viewport?: Viewport, beforeLoad?: (page: Page) => Promise<void>): Promise<Page>;
  /** Stops Chromium and serve, removes the folder, then fails on page errors or native dialogs. */
  stop(): Promise<void>;
}

export interface ServeOptions {
  prefix: string;
  serveArgs?: string[];
  viewport?: Viewport;
  /** Runs before serve starts, with the (not yet created) user-data folder: e.g. to lay a database there. */
  prepare?: (userData: string) => void | Promise<void>;
}

export async function startServedApp(opts: ServeOptions): Promise<ServedApp> {
  const tmp = tempDir(opts.prefix);
  const userData = join(tmp.dir, 'user');
  await opts.prepare?.(userData);
  const args = opts.serveArgs ?? [];
  const serve = startCli(['serve', '--port', '0', '--user-data', userData, ...(args.includes('--rate') ? [] : ['--rate', String(BROWSER_FEED_RATE)]), ...args]);
  const url = await waitFor('serve URL', () => /listening on (\S+)/.exec(serve.stdout())?.[1], 30_000);
  const browser = await launchChromium();
  const pageErrors: string[] = [];
  const nativeDialogs: string[] = [];
  const newContext = async (viewport: Viewport): Promise<BrowserContext> => {
    const context = await browser.newContext({ viewport, acceptDownloads: true });
    // A script error or a console error in any page fails the file (checked in stop()).
    context.on('weberror', (e) => pageErrors.push(`page error: ${e.error().message}`));
    context.on('console', (m) => m.type() === 'error' && pageErrors.push(`console error: ${m.text()} (${m.location().url})`));
    context.on('dialog', (d) => {
      nativeDialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    return context;
  };
  return {
    url,
    dir: tmp.dir,
    userData,
    serve,
    browser,
    async open(t, viewport, beforeLoad) {
      const context = await newContext(viewport ?? opts.viewport ?? DESKTOP);
      t.after(() => context.close());
      const page = await context.newPage();
      await beforeLoad?.(page);
      await page.goto(url);
      // The grid comes with the app state, which a test with beforeLoad may be holding back.
      await (beforeLoad ? page.getByRole('button', { name: 'Settings' }) : page.getByRole('grid').first()).waitFor();
      return page;
    },
    async stop() {
      // Everything is stopped first: a failed check below must not leave servers running.
      await browser.close();
      serve.child.kill('SIGTERM');
      await serve.exit;
      tmp.cleanup();
      assert.deepEqual(nativeDialogs, [], 'no native dialog opened');
      assert.deepEqual(pageErrors, [], 'no script or console error in the page');
    },
  };
}

/**
 * Logs the served app in to a `tapedeck sim` as Schwab through the simulator's authorize page,
 * the way a user does; returns the login tab once it says "Signed in". Users register the
 * loopback address with the broker, not the per-launch host name, so that is the callback.
 */
export async function logInWithSim(page: Page, openUrl: string, simUrl: string): Promise<Page> {
  const callbackOrigin = `http://127.0.0.1:${new URL(openUrl).port}`;
  await page.getByRole('button', { name: /settings/i }).click();
  const dialog = page.getByRole('dialog');
  await dialog.getByLabel(/provider/i).selectOption('schwab');
  await dialog.getByLabel(/app key/i).fill('browser-app-key');
  await dialog.getByLabel(/app secret/i).fill('browser-app-secret');
  await dialog.getByLabel(/callback/i).fill(`${callbackOrigin}/oauth/callback`);
  await dialog.getByText('Advanced: endpoints').click();
  await dialog.getByLabel(/api base/i).fill(simUrl);
  await dialog.getByLabel(/authori[sz]e base/i).fill(simUrl);
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  const popup = page.context().waitForEvent('page');
  await dialog.getByRole('button', { name: /log in/i }).click();
  const login = await popup;
  await login.waitForLoadState();
  await login.locator('#username').fill('trader');
  await login.locator('#password').fill('secret');
  await login.locator('#accept').click();
  await login.waitForURL(`${callbackOrigin}/oauth/callback?**`);
  await login.getByText('Signed in — you can close this tab').waitFor();
  return login;
}

/** The row of a symbol in the grid (rows are named by their symbols). */
export const row = (page: Page, symbol: string) => page.getByRole('row', { name: symbol, exact: true });
/** One cell of a symbol's row, by its field (last, bid, ask, volume…). */
export const cell = (page: Page, symbol: string, field: string) => row(page, symbol).locator(`[data-field="${field}"]`);

/** Waits until a symbol's cell shows a number. */
export async function waitForNumber(page: Page, symbol: string, field = 'last', timeout = 20_000): Promise<void> {
  const el = cell(page, symbol, field);
  await el.waitFor({ timeout });
  await page.waitForFunction((e) => /\d/.test(e?.textContent ?? ''), await el.elementHandle(), { timeout });
}
