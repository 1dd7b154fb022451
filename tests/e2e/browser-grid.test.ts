/**
 * The Level I grid in the real renderer, in real Chromium, against `tapedeck serve` (its demo
 * engine): keyboard movement between rows, and virtualization — with 5,000 symbols only the rows
 * in view (and a few either side) exist in the page, and keys still reach every row.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { row, startServedApp, waitForNumber, type ServedApp } from '../helpers/browser-app.js';
import { waitForAsync } from '../helpers/wait.js';

/** The symbol of the selected row (aria-selected), or null. */
const selectedSymbol = (page: Page) => page.locator('[role=grid] [role=row][aria-selected=true] [role=rowheader]').textContent({ timeout: 1_000 }).catch(() => null);

async function expectSelected(page: Page, symbol: string): Promise<void> {
  await waitForAsync(`${symbol} selected`, async () => (await selectedSymbol(page))?.trim() === symbol, 5_000);
}

/** Rows of the grid in the page, the header row excluded. */
const bodyRows = (page: Page) => page.locator('[role=grid] .grid-canvas [role=row]').count();

/** 5,000 well-formed equity symbols (ZAAA, ZAAB, …): the simulator trades any of them. */
function manySymbols(n: number): string[] {
  const a = (i: number) => String.fromCharCode(65 + i);
  return Array.from({ length: n }, (_, i) => `Z${a(Math.floor(i / 676) % 26)}${a(Math.floor(i / 26) % 26)}${a(i % 26)}`);
}

describe('the grid in a browser', () => {
  let app: ServedApp;

  before(async () => {
    app = await startServedApp({ prefix: 'browser-grid' });
  });

  after(async () => {
    await app?.stop();
  });

  test('arrow keys, Home and End move the selected row, and the detail panels follow it', async (t) => {
    const page = await app.open(t);
    await waitForNumber(page, 'AAPL');
    // The default list's order (unsorted): AAPL, MSFT, GOOG, … , EUR/USD, USD/JPY.
    await row(page, 'AAPL').click();
    await expectSelected(page, 'AAPL');
    const grid = page.getByRole('grid').first();
    assert.equal(await grid.evaluate((el) => el.contains(document.activeElement)), true, 'the grid has the keyboard');

    await page.keyboard.press('ArrowDown');
    await expectSelected(page, 'MSFT');
    assert.equal(await grid.getAttribute('aria-activedescendant'), 'row-1', 'screen readers are told which row is current');
    // The chart, book and tape are the selected symbol's.
    await page.getByLabel('Level II MSFT').waitFor();
    await page.keyboard.press('ArrowDown');
    await expectSelected(page, 'GOOG');
    await page.keyboard.press('ArrowUp');
    await expectSelected(page, 'MSFT');
    await page.keyboard.press('End');
    await expectSelected(page, 'USD/JPY');
    await page.keyboard.press('ArrowDown');
    await expectSelected(page, 'USD/JPY');
    await page.keyboard.press('Home');
    await expectSelected(page, 'AAPL');
    await page.keyboard.press('ArrowUp');
    await expectSelected(page, 'AAPL');
    await page.getByLabel('Level II AAPL').waitFor();
  });

  test('with 5,000 symbols only the rows in view exist in the page; Page Up/Down and End reach the rest', async (t) => {
    const page = await app.open(t);
    // A list of its own, so the default list (and other tests) are untouched.
    await page.getByRole('button', { name: 'New watchlist' }).click();
    const create = page.getByRole('dialog', { name: 'New watchlist' });
    await create.getByLabel('Name').fill('Wide');
    await create.getByRole('button', { name: 'Create' }).click();
    await create.waitFor({ state: 'detached' });
    const symbols = manySymbols(5000);
    const grid = page.getByRole('grid', { name: 'Watchlist Wide' });
    // One add takes at most 2,000 symbols (the bridge's argument limit): three pastes.
    for (let from = 0; from < symbols.length; from += 2000) {
      const rows = Math.min(symbols.length, from + 2000) + 1;
      await page.getByLabel('Add symbol').fill(symbols.slice(from, from + 2000).join(','));
      await page.getByRole('button', { name: 'Add', exact: true }).click();
      await waitForAsync(`${rows - 1} rows`, async () => Number(await grid.getAttribute('aria-rowcount')) === rows, 60_000).catch(async (err: Error) => {
        // Say what the page showed instead: the row count and any refusal of the symbols.
        const refusal = await page.locator('#add-error').textContent({ timeout: 1_000 }).catch(() => null);
        throw new Error(`${err.message}; aria-rowcount ${await grid.getAttribute('aria-rowcount', { timeout: 1_000 }).catch(() => null)}, add error: ${refusal}`);
      });
      // The field is cleared once the add is done, which may come after the rows: the next paste waits for it.
      await waitForAsync('the add field cleared', async () => (await page.getByLabel('Add symbol').inputValue()) === '', 10_000);
    }
    await waitForNumber(page, symbols[0]!, 'last', 30_000);

    const body = page.locator('.grid-body');
    const visibleRows = await body.evaluate((el) => Math.ceil(el.clientHeight / 22));
    const inPage = await bodyRows(page);
    // The rows in view plus a small overscan: far fewer than the list.
    assert.ok(inPage >= visibleRows && inPage <= visibleRows + 20, `${inPage} rows in the page for ${visibleRows} in view`);

    // Scrolled to the middle, the middle rows exist and the first ones are gone.
    await body.evaluate((el) => (el.scrollTop = 2500 * 22));
    await row(page, symbols[2500]!).waitFor();
    assert.equal(await row(page, symbols[0]!).count(), 0, 'the first row left the page');
    assert.ok((await bodyRows(page)) <= visibleRows + 20);
    await body.evaluate((el) => (el.scrollTop = 0));
    await row(page, symbols[0]!).waitFor();

    // Keys move through rows that were never in the page; the selected row is scrolled into view.
    await row(page, symbols[0]!).click();
    await expectSelected(page, symbols[0]!);
    await page.keyboard.press('End');
    await expectSelected(page, symbols[4999]!);
    const last = row(page, symbols[4999]!);
    const bodyBox = (await body.boundingBox())!;
    const lastBox = (await last.boundingBox())!;
    assert.ok(lastBox.y >= bodyBox.y && lastBox.y + lastBox.height <= bodyBox.y + bodyBox.height + 1, `the last row is in view: row ${JSON.stringify(lastBox)}, body ${JSON.stringify(bodyBox)}`);
    assert.equal(await row(page, symbols[0]!).count(), 0);
    // Page Up moves a page (the rows in view less one) at a time.
    const pageRows = await body.evaluate((el) => Math.max(1, Math.floor(el.clientHeight / 22) - 1));
    await page.keyboard.press('PageUp');
    await expectSelected(page, symbols[4999 - pageRows]!);
    await page.keyboard.press('PageDown');
    await expectSelected(page, symbols[4999]!);
    assert.ok((await bodyRows(page)) <= visibleRows + 20);

    // The list goes again, so the demo streams only the default list for the file's other tests.
    await page.getByRole('button', { name: 'Delete Wide' }).click();
    await page.getByRole('dialog', { name: /delete wide/i }).getByRole('button', { name: 'Delete' }).click();
    await page.getByRole('tab', { name: /wide/i }).waitFor({ state: 'detached' });
  });
});
