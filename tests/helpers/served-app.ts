/**
 * The app served by the built `tapedeck serve` (demo engine) and opened in Debian's Chromium, for
 * browser tests: pages at a given size and time zone, and every script error, console error or
 * native dialog collected so the suite can fail on it.
 */
import { join } from 'node:path';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BROWSER_FEED_RATE, launchChromium } from './chromium.js';
import { startCli, type CliRun } from './cli.js';
import { tempDir } from './tmp.js';
import { waitFor } from './wait.js';

export interface Viewport {
  width: number;
  height: number;
}
export const VIEWPORTS: readonly Viewport[] = [
  { width: 1400, height: 900 },
  { width: 1024, height: 700 },
];

export interface ServedApp {
  url: string;
  /** Script errors, console errors and native dialogs seen in any page: must stay empty. */
  problems: string[];
  open(viewport: Viewport, opts?: { timezoneId?: string }): Promise<{ context: BrowserContext; page: Page }>;
  close(): Promise<void>;
}

export async function serveApp(name: string, rate = BROWSER_FEED_RATE): Promise<ServedApp> {
  const tmp = tempDir(name);
  const serve: CliRun = startCli(['serve', '--port', '0', '--user-data', join(tmp.dir, 'user'), '--rate', String(rate)]);
  const problems: string[] = [];
  let browser: Browser | undefined;
  const close = async () => {
    await browser?.close();
    serve.child.kill('SIGTERM');
    await serve.exit;
    tmp.cleanup();
  };
  try {
    const url = await waitFor('serve URL', () => /listening on (\S+)/.exec(serve.stdout())?.[1], 30_000);
    browser = await launchChromium();
    const opened = browser;
    return {
      url,
      problems,
      close,
      async open(viewport, opts = {}) {
        const context = await opened.newContext({ viewport, timezoneId: opts.timezoneId, locale: 'en-US' });
        context.on('weberror', (e) => problems.push(`page error: ${e.error().message}`));
        context.on('console', (m) => m.type() === 'error' && problems.push(`console error: ${m.text()} (${m.location().url})`));
        // Native dialogs do nothing in Electron: none may ever open.
        context.on('dialog', (d) => {
          problems.push(`native ${d.type()}: ${d.message()}`);
          void d.dismiss();
        });
        const page = await context.newPage();
        await page.goto(url);
        await page.getByRole('grid').first().waitFor({ timeout: 30_000 });
        return { context, page };
      },
    };
  } catch (err) {
    await close();
    throw err;
  }
}

/** Makes a new watchlist in the app (it becomes the active tab) holding one symbol with a live price. */
export async function newListWithSymbol(page: Page, name: string, symbol = 'AAPL'): Promise<void> {
  await page.getByRole('button', { name: 'New watchlist' }).click();
  const dialog = page.getByRole('dialog', { name: 'New watchlist' });
  await dialog.getByLabel('Name').fill(name);
  await dialog.getByRole('button', { name: 'Create' }).click();
  await page.getByRole('tab', { name: new RegExp(`^${name}\\b`), selected: true }).waitFor();
  await page.getByLabel('Add symbol').fill(symbol);
  await page.getByRole('button', { name: 'Add', exact: true }).click();
  const last = page.getByRole('row', { name: symbol, exact: true }).locator('[data-field="last"]');
  await last.waitFor();
  await page.waitForFunction((el) => /\d/.test(el?.textContent ?? ''), await last.elementHandle(), { timeout: 20_000 });
}

/** The grid's header columns, in order, by id. */
export function headerOrder(page: Page): Promise<string[]> {
  return page.$$eval('[role=columnheader]', (els) => els.map((e) => e.getAttribute('data-column') ?? ''));
}
