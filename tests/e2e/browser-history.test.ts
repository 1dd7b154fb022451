/**
 * REST market data in the real renderer, in real Chromium, against `tapedeck serve` (demo engine):
 * focusing a symbol draws the provider's price history before live bars accumulate, the interval
 * selector changes the bar spacing, and the status bar shows the market session — at 1400×900 and
 * at 1024×700. The chart is read through its data attributes and its text alternative.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, Page } from 'playwright-core';
import { BROWSER_FEED_RATE, launchChromium } from '../helpers/chromium.js';
import { startCli, type CliRun } from '../helpers/cli.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor, waitForAsync } from '../helpers/wait.js';

const tmp = tempDir('browser-history');

interface ChartState {
  bars: number;
  history: number;
  interval: string;
  spacing: number;
  label: string;
}

async function chartState(page: Page): Promise<ChartState> {
  return page.$eval('.chart-panel', (el) => ({
    bars: Number(el.getAttribute('data-bars')),
    history: Number(el.getAttribute('data-history-bars')),
    interval: el.getAttribute('data-interval') ?? '',
    spacing: Number(el.getAttribute('data-spacing')),
    label: el.querySelector('.chart')?.getAttribute('aria-label') ?? '',
  }));
}

/** Polls the chart (bounded) until `ok`; the failure says what it last showed. */
async function waitForChart(page: Page, ok: (s: ChartState) => boolean): Promise<ChartState> {
  let last: ChartState | null = null;
  try {
    return await waitForAsync('the chart', async () => {
      last = (await page.$('.chart-panel')) ? await chartState(page) : null;
      return last && ok(last) ? last : null;
    }, 30_000);
  } catch (err) {
    throw new Error(`${(err as Error).message}; the chart showed ${JSON.stringify(last)}`);
  }
}

describe('price history and market session in a browser', () => {
  let serve: CliRun;
  let browser: Browser;
  let page: Page;
  const pageErrors: string[] = [];

  before(async () => {
    serve = startCli(['serve', '--port', '0', '--user-data', join(tmp.dir, 'user'), '--rate', String(BROWSER_FEED_RATE)]);
    const url = await waitFor('serve URL', () => /listening on (\S+)/.exec(serve.stdout())?.[1], 30_000);
    browser = await launchChromium();
    const context = await browser.newContext({ viewport: { width: 1400, height: 900 } });
    page = await context.newPage();
    context.on('weberror', (e) => pageErrors.push(`page error: ${e.error().message}`));
    context.on('console', (m) => m.type() === 'error' && pageErrors.push(`console error: ${m.text()}`));
    await page.goto(url);
  });

  after(async () => {
    await browser?.close();
    serve.child.kill('SIGTERM');
    await serve.exit;
    tmp.cleanup();
    assert.deepEqual(pageErrors, [], 'no script or console error in the page');
  });

  test('focusing a symbol draws its price history at once; the interval selector changes the bar spacing', async () => {
    const row = page.getByRole('row', { name: 'AAPL', exact: true });
    await row.waitFor({ timeout: 30_000 });
    await row.click();
    const first = await waitForChart(page, (s) => s.history > 0);
    // History, not accumulated live bars: the live feed has added at most the bar in progress.
    assert.ok(first.history >= 10, `${first.history} history bars`);
    assert.ok(first.bars - first.history <= 1, `${first.bars} bars, ${first.history} from history`);
    assert.equal(first.interval, '1m');
    assert.equal(first.spacing, 60);
    assert.match(first.label, /^AAPL chart, \d+ 1-minute bars \(\d+ from price history\): last /);

    const intervals = page.getByRole('group', { name: 'Bar interval' });
    await intervals.getByRole('button', { name: '5m', exact: true }).click();
    const five = await waitForChart(page, (s) => s.interval === '5m' && s.history > 0);
    assert.equal(five.spacing, 300);
    assert.match(five.label, /5-minute bars/);
    assert.equal(await intervals.getByRole('button', { name: '5m', exact: true }).getAttribute('aria-pressed'), 'true');

    await intervals.getByRole('button', { name: '1D', exact: true }).click();
    const daily = await waitForChart(page, (s) => s.interval === '1d' && s.history > 0);
    assert.equal(daily.spacing, 86_400);
    assert.ok(daily.history > 200, `${daily.history} daily bars`);
  });

  test('the status bar shows the market session', async () => {
    const session = page.locator('footer.status [data-session]');
    await session.waitFor({ timeout: 30_000 });
    assert.match((await session.getAttribute('data-session')) ?? '', /^(pre|regular|post|closed)$/);
    assert.match((await session.textContent()) ?? '', /^(Pre-market|Market open|After hours|Market closed)$/);
  });

  test('at 1024×700 the interval selector and the session stay visible and work', async () => {
    await page.setViewportSize({ width: 1024, height: 700 });
    try {
      const intervals = page.getByRole('group', { name: 'Bar interval' });
      const fifteen = intervals.getByRole('button', { name: '15m', exact: true });
      assert.ok(await fifteen.isVisible());
      await fifteen.click();
      const s = await waitForChart(page, (c) => c.interval === '15m' && c.history > 0);
      assert.equal(s.spacing, 900);
      assert.ok(await page.locator('footer.status [data-session]').isVisible());
    } finally {
      await page.setViewportSize({ width: 1400, height: 900 });
    }
  });
});
