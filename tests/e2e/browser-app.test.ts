/**
 * The real renderer in real Chromium against `tapedeck serve` (demo engine) and `tapedeck sim`
 * (a Schwab login through the simulator's authorize page). The servers and the browser are shared;
 * each test opens its own page, so none depends on where another left one.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test, type TestContext } from 'node:test';
import type { Page } from 'playwright-core';
import { logInWithSim, startServedApp, type ServedApp } from '../helpers/browser-app.js';
import { startCli, type CliRun } from '../helpers/cli.js';
import { countRows, query } from '../helpers/db.js';
import { waitFor, waitForAsync } from '../helpers/wait.js';
import { BROWSER_FEED_RATE } from '../helpers/chromium.js';

const ARTIFACTS = join(process.cwd(), 'test-results');

const lastCell = (page: Page, symbol: string) => page.getByRole('row', { name: symbol, exact: true }).locator('[data-field="last"]');

describe('the app in a browser', () => {
  let app: ServedApp;
  let sim: CliRun;
  let openUrl = '';
  let simUrl = '';

  before(async () => {
    app = await startServedApp({ prefix: 'browser', viewport: { width: 1440, height: 900 } });
    openUrl = app.url;
    // Another seed than the demo's, so the two feeds' prices differ.
    sim = startCli(['sim', '--port', '0', '--rate', String(BROWSER_FEED_RATE), '--bar-ms', '1000', '--seed', '77']);
    simUrl = await waitFor('sim URL', () => /listening on (\S+)/.exec(sim.stdout())?.[1], 30_000);
  });

  /** A page of the app for one test, closed after it. */
  const openApp = (t: TestContext): Promise<Page> => app.open(t);

  after(async () => {
    // The sim is stopped first: a failed check in stop() must not leave it running.
    sim?.child.kill('SIGTERM');
    await sim?.exit;
    // Fails on any native dialog (they do nothing in Electron) or script or console error.
    await app?.stop();
  });

  test('the demo grid fills and ticks, labelled as simulated', async (t) => {
    const page = await openApp(t);
    const grid = page.getByRole('grid').first();
    await grid.waitFor();
    await page.getByRole('status').getByText(/demo/i).first().waitFor();
    const cell = lastCell(page, 'AAPL');
    await cell.waitFor();
    await page.waitForFunction((el) => /\d/.test(el?.textContent ?? ''), await cell.elementHandle(), { timeout: 15_000 });
    const before = await cell.textContent();
    await page.waitForFunction(([el, text]) => el?.textContent !== text, [await cell.elementHandle(), before] as const, { timeout: 15_000 });
    assert.equal(await page.getByRole('row', { name: 'MSFT', exact: true }).count(), 1);
    // Price changes flash their cell green or red; other columns never flash.
    // A highlight lasts a moment, so cells are found and read in one script in the page: Playwright's
    // $$eval queries and reads in two steps, and a highlight ending between them read as "null".
    await page.waitForSelector('[role=gridcell][data-flash=up], [role=gridcell][data-flash=down]', { timeout: 15_000 });
    const fields = await page.evaluate(() =>
      Array.from(document.querySelectorAll('[role=gridcell][data-flash]'), (e) => `${e.getAttribute('data-field')}:${e.getAttribute('data-flash')}`),
    );
    for (const f of fields) assert.match(f, /^(last|bid|ask):(up|down)$/, `${f} flashed`);
  });

  test('at 1024×700 the grid scrolls sideways to Close with the Symbol column frozen; sizes are abbreviated with the exact value on hover', async (t) => {
    const page = await openApp(t);
    await page.setViewportSize({ width: 1024, height: 700 });
    try {
      const row = page.getByRole('row', { name: 'AAPL', exact: true });
      const close = row.locator('[data-field="close"]');
      await page.waitForFunction((el) => /\d/.test(el?.textContent ?? ''), await close.elementHandle(), { timeout: 15_000 });
      const body = page.locator('.grid-body');
      const bodyBox = (await body.boundingBox())!;
      assert.ok((await close.boundingBox())!.x > bodyBox.x + bodyBox.width, 'Close starts out of view at this width');
      await body.evaluate((el) => (el.scrollLeft = el.scrollWidth));
      const closeBox = (await close.boundingBox())!;
      assert.ok(closeBox.x + closeBox.width <= bodyBox.x + bodyBox.width + 1, 'Close is in view after scrolling right');
      const symbolBox = (await row.getByRole('rowheader').boundingBox())!;
      assert.ok(Math.abs(symbolBox.x - bodyBox.x) < 2, 'the Symbol column stays at the left edge');
      const header = page.getByRole('columnheader', { name: /close/i });
      assert.ok(Math.abs((await header.boundingBox())!.x - closeBox.x) < 2, 'the header scrolled with the body');
      const volume = row.locator('[data-field="volume"]');
      const shown = (await volume.textContent()) ?? '';
      const exact = (await volume.getAttribute('title')) ?? '';
      assert.match(shown, /^\d+(\.\d)?[KMB]$/, 'AAPL volume is abbreviated');
      assert.match(exact, /^\d{1,3}(,\d{3})+$/, 'the exact volume is on hover');
      await body.evaluate((el) => (el.scrollLeft = 0));
    } finally {
      await page.setViewportSize({ width: 1440, height: 900 });
    }
  });

  test('columns sort from the keyboard; the header says how it is sorted', async (t) => {
    const page = await openApp(t);
    const header = page.getByRole('columnheader', { name: /symbol/i });
    const sortIs = (value: string) => waitForAsync(`aria-sort ${value}`, async () => (await header.getAttribute('aria-sort')) === value, 5_000);
    await header.getByRole('button').focus();
    await page.keyboard.press('Enter');
    await sortIs('ascending');
    const inOrder = () => page.getByRole('rowheader').allTextContents().then((n) => n.join() === [...n].sort((a, b) => a.localeCompare(b)).join());
    await waitForAsync('rows in symbol order', inOrder, 5_000);
    await page.keyboard.press('Enter');
    await sortIs('descending');
    await page.keyboard.press('Enter');
    await sortIs('none');
  });

  test('add and remove a symbol; a bad symbol is refused with a message', async (t) => {
    const page = await openApp(t);
    const input = page.getByLabel('Add symbol');
    await input.fill('ib m');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByText(/not a valid symbol|upper case/i).first().waitFor();
    assert.equal(await page.getByRole('row', { name: 'AAPL', exact: true }).count(), 1);

    await input.fill('IBM');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    const ibm = lastCell(page, 'IBM');
    await page.waitForFunction((el) => /\d/.test(el?.textContent ?? ''), await ibm.elementHandle(), { timeout: 15_000 });

    await page.getByRole('row', { name: 'IBM', exact: true }).click();
    await page.keyboard.press('Delete');
    await page.getByRole('row', { name: 'IBM', exact: true }).waitFor({ state: 'detached' });
    // Persisted by the host: a reload shows the saved list.
    await page.reload();
    await lastCell(page, 'AAPL').waitFor();
    assert.equal(await page.getByRole('row', { name: 'IBM', exact: true }).count(), 0);
  });

  test('selecting a symbol draws its chart', async (t) => {
    const page = await openApp(t);
    await page.getByRole('row', { name: 'AAPL', exact: true }).click();
    const chart = page.locator('[data-bars]').first();
    await chart.waitFor();
    await page.waitForFunction((el) => Number(el?.getAttribute('data-bars')) > 0, await chart.elementHandle(), { timeout: 30_000 });
    mkdirSync(ARTIFACTS, { recursive: true });
    await page.screenshot({ path: join(ARTIFACTS, 'main-window.png') });
  });

  test('the chart keeps the view a user moved to while new bars arrive', async (t) => {
    const page = await openApp(t);
    await page.getByRole('row', { name: 'AAPL', exact: true }).click();
    const panel = page.locator('.chart-panel');
    await page.waitForFunction((el) => Number(el?.getAttribute('data-bars')) > 1, await panel.elementHandle(), { timeout: 30_000 });
    const box = (await page.locator('.chart').boundingBox())!;
    const latest = page.getByRole('button', { name: /latest/i });
    // Drag the view away from the newest bar (again if a loaded machine dropped the gesture).
    for (let attempt = 0; attempt < 3 && !(await latest.isVisible()); attempt++) {
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 - box.width / 3, box.y + box.height / 2, { steps: 10 });
      await page.mouse.up();
      await latest.waitFor({ timeout: 5_000 }).catch(() => undefined);
    }
    await latest.waitFor({ timeout: 1_000 });
    const bars = Number(await panel.getAttribute('data-bars'));
    // The 1-minute chart updates its last bar with every live bar (each 5 s in the demo) and starts a
    // new one each minute: a view reset by any of those updates would be over by the new bar.
    await page.waitForFunction(([el, n]) => Number(el?.getAttribute('data-bars')) > n, [await panel.elementHandle(), bars] as const, { timeout: 90_000 });
    assert.equal(await latest.isVisible(), true, 'new bars did not reset the view');
    // Back to real time (a second click only if a loaded machine lost the first).
    await latest.click();
    if (!(await latest.waitFor({ state: 'detached', timeout: 15_000 }).then(() => true, () => false))) {
      await latest.click();
      await latest.waitFor({ state: 'detached', timeout: 15_000 });
    }
  });

  test('watchlists are made and renamed in the app, and a second tab follows every change', async (t) => {
    const page = await openApp(t);
    const other = await page.context().newPage();
    await other.goto(page.url());
    await other.getByRole('tab', { name: /default/i }).waitFor();
    await page.getByRole('button', { name: 'New watchlist' }).click();
    const create = page.getByRole('dialog', { name: 'New watchlist' });
    await create.getByLabel('Name').fill('Energy');
    await create.getByRole('button', { name: 'Create' }).click();
    await create.waitFor({ state: 'detached' });
    assert.equal(await page.getByRole('tab', { name: /energy/i }).getAttribute('aria-selected'), 'true', 'the new list is shown');
    await other.getByRole('tab', { name: /energy/i }).waitFor();
    assert.equal(await other.getByRole('tab', { name: /default/i }).getAttribute('aria-selected'), 'true', 'the other tab keeps its own selection');

    await page.getByLabel('Add symbol').fill('XOM, CVX');
    await page.getByRole('button', { name: 'Add', exact: true }).click();
    await page.getByRole('row', { name: 'XOM', exact: true }).waitFor();
    await other.getByRole('tab', { name: /energy/i }).click();
    await other.getByRole('row', { name: 'CVX', exact: true }).waitFor();

    await page.getByRole('tab', { name: /energy/i }).dblclick();
    const rename = page.getByRole('dialog', { name: /rename/i });
    await rename.getByLabel('Name').fill('Oil');
    await rename.getByRole('button', { name: 'Rename' }).click();
    await other.getByRole('tab', { name: /oil/i }).waitFor();

    // The ARIA tabs pattern: arrows move between tabs, F2 renames, Escape returns focus.
    const oil = page.getByRole('tab', { name: /oil/i });
    await oil.click();
    await oil.focus();
    await page.keyboard.press('ArrowLeft');
    await waitForAsync('Default selected by the arrow key', async () => (await page.getByRole('tab', { name: /default/i }).getAttribute('aria-selected')) === 'true');
    assert.equal(await page.getByRole('tab', { name: /default/i }).evaluate((el) => el === document.activeElement), true, 'focus moved with the selection');
    await page.keyboard.press('ArrowRight');
    await waitForAsync('Oil selected again', async () => (await oil.getAttribute('aria-selected')) === 'true');
    await page.keyboard.press('F2');
    const renameByKey = page.getByRole('dialog', { name: /rename oil/i });
    await renameByKey.waitFor();
    assert.equal(await renameByKey.getByLabel('Name').evaluate((el) => el === document.activeElement), true, 'focus moved into the dialog');
    await page.keyboard.press('Escape');
    await renameByKey.waitFor({ state: 'detached' });
    assert.equal(await oil.evaluate((el) => el === document.activeElement), true, 'focus returned to the tab');

    await page.getByRole('button', { name: 'Delete Oil' }).click();
    await page.getByRole('dialog', { name: /delete oil/i }).getByRole('button', { name: 'Delete' }).click();
    await other.getByRole('tab', { name: /oil/i }).waitFor({ state: 'detached' });
    await other.close();
  });

  test('export downloads a consistent copy with the recorded rows', async (t) => {
    const page = await openApp(t);
    const download = page.waitForEvent('download', { timeout: 30_000 });
    await page.getByRole('button', { name: /export database/i }).click();
    const file = join(app.dir, 'export.db');
    await (await download).saveAs(file);
    const db = new Database(file, { readonly: true });
    try {
      assert.equal(db.pragma('integrity_check', { simple: true }), 'ok');
      const n = db.prepare("SELECT count(*) AS n FROM levelone_equities WHERE key = 'AAPL'").get() as { n: number };
      assert.ok(n.n > 0);
    } finally {
      db.close();
    }
  });

  test('Settings: record from launch is the status bar switch; daily files, retention and frames only are saved', async (t) => {
    const page = await openApp(t);
    await page.getByRole('button', { name: /settings/i }).click();
    let dialog = page.getByRole('dialog');
    const fromLaunch = dialog.getByLabel(/record from launch/i);
    assert.equal(await fromLaunch.isChecked(), true);
    // The box follows the host's answer, so it is clicked, not set: its state changes once the host has switched.
    await fromLaunch.click();
    await page.getByRole('button', { name: /not recording/i }).waitFor();
    assert.equal(await fromLaunch.isChecked(), false);
    await fromLaunch.click();
    await page.getByRole('button', { name: /● recording/i }).waitFor();
    assert.equal(await fromLaunch.isChecked(), true);
    await dialog.getByLabel(/^files/i).selectOption('daily');
    await dialog.getByLabel(/keep data for/i).fill('30');
    const framesOnly = dialog.getByLabel(/frames only/i);
    assert.equal(await framesOnly.isChecked(), false);
    await framesOnly.check();
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Settings saved.').first().waitFor();
    await dialog.getByRole('button', { name: /close/i }).click();
    // Opened again, the dialog shows what the host saved.
    await page.getByRole('button', { name: /settings/i }).click();
    dialog = page.getByRole('dialog');
    assert.equal(await dialog.getByLabel(/^files/i).inputValue(), 'daily');
    assert.equal(await dialog.getByLabel(/keep data for/i).inputValue(), '30');
    assert.equal(await dialog.getByLabel(/frames only/i).isChecked(), true);
    // Typed rows again: the app (and its files) is shared with the tests that follow.
    await dialog.getByLabel(/frames only/i).uncheck();
    await dialog.getByRole('button', { name: 'Save', exact: true }).click();
    await page.getByText('Settings saved.').first().waitFor();
    await dialog.getByRole('button', { name: /close/i }).click();
  });

  test('log in to Schwab through the simulator authorize page and see live rows', async (t) => {
    const page = await openApp(t);
    // The login tab ends on its own page instead of opening a second copy of the app.
    const login = await logInWithSim(page, openUrl, simUrl);
    assert.equal(await login.locator('#root').count(), 0);
    // The app page now streams from the (simulated) Schwab provider, not the demo.
    await page.bringToFront();
    await page.getByRole('status').getByText(/schwab/i).first().waitFor({ timeout: 20_000 });
    assert.equal(await page.getByRole('status').getByText(/^demo$/i).count(), 0);
    // Live rows from Schwab: MSFT's cell comes to show a price the Schwab session recorded and the
    // demo never did (a demo value left in the cell, or a cell that stopped, never gets there).
    const cell = lastCell(page, 'MSFT');
    // Each provider records into its own file (tapedeck-PROVIDER.db); a table appears with its first row.
    // (tapedeck-PROVIDER-DATE.db when Settings chose daily files).
    const recorded = (provider: string) => {
      const prices = new Set<number>();
      for (const name of readdirSync(app.userData).filter((f) => f.startsWith(`tapedeck-${provider}`) && f.endsWith('.db'))) {
        const dbPath = join(app.userData, name);
        if (countRows(dbPath, 'levelone_equities') === 0) continue;
        for (const r of query<{ p: number }>(dbPath, "SELECT last_price AS p FROM levelone_equities WHERE key = 'MSFT' AND last_price IS NOT NULL")) prices.add(r.p);
      }
      return prices;
    };
    await waitForAsync('a price only the Schwab feed sent, in the MSFT row', async () => {
      const shown = Number(((await cell.textContent()) ?? '').replace(/,/g, ''));
      return recorded('schwab').has(shown) && !recorded('demo').has(shown);
    }, 30_000);
  });
});
