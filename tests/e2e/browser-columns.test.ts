/**
 * The column chooser and the header, in the real app and real Chromium at two window sizes: hide
 * and show, move (drag in the header, drag and keyboard in the dialog), resize (drag and keys),
 * reset, and the layout kept per watchlist across a reload and shown by a second tab.
 * Each test works on a watchlist of its own, so none depends on another.
 */
import assert from 'node:assert/strict';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { headerOrder, newListWithSymbol, serveApp, VIEWPORTS, type ServedApp } from '../helpers/served-app.js';
import { waitForAsync } from '../helpers/wait.js';

const DEFAULT_ORDER = ['symbol', 'last', 'change', 'percent', 'bid', 'ask', 'bidSize', 'askSize', 'volume', 'high', 'low', 'open', 'close', 'time', 'delayed'];

const header = (page: Page, id: string) => page.locator(`[role=columnheader][data-column="${id}"]`);
const cell = (page: Page, id: string, symbol = 'AAPL') => page.getByRole('row', { name: symbol, exact: true }).locator(`[data-field="${id}"]`);
const widthOf = async (page: Page, id: string) => (await header(page, id).boundingBox())!.width;

async function orderIs(page: Page, expected: string[], what: string): Promise<void> {
  await waitForAsync(what, async () => (await headerOrder(page)).join() === expected.join(), 5_000).catch(async (err: Error) => {
    throw new Error(`${err.message}: header is ${(await headerOrder(page)).join()}`);
  });
  // The rows render the layout too (in the same frame or the next): they must come to match it.
  const cells = () => page.getByRole('row', { name: 'AAPL', exact: true }).evaluate((row) => [...row.children].map((c) => c.getAttribute('data-field')));
  await waitForAsync(`${what}: the row's cells follow the header`, async () => (await cells()).join() === expected.join(), 5_000).catch(async (err: Error) => {
    throw new Error(`${err.message}: the row's cells are ${(await cells()).join()}`);
  });
}

async function openColumns(page: Page) {
  await page.getByRole('button', { name: /^Columns of/ }).click();
  const dialog = page.getByRole('dialog', { name: /^Columns of/ });
  await dialog.waitFor();
  return dialog;
}

for (const viewport of VIEWPORTS) {
  describe(`columns at ${viewport.width}×${viewport.height}`, () => {
    let app: ServedApp;
    let context: BrowserContext;
    let page: Page;
    const tag = `${viewport.width}`;

    before(async () => {
      app = await serveApp('browser-columns');
    });
    // A page of its own for every test: one that fails leaves no dialog open for the next.
    beforeEach(async () => {
      ({ context, page } = await app.open(viewport));
    });
    afterEach(async () => {
      await context?.close();
    });

    after(async () => {
      await app?.close();
      assert.deepEqual(app?.problems ?? [], [], 'no script error, console error or native dialog');
    });

    test('a column is hidden and shown again from the chooser; Symbol cannot be hidden', async () => {
      await newListWithSymbol(page, `hide${tag}`);
      const dialog = await openColumns(page);
      assert.equal(await dialog.getByRole('checkbox', { name: 'Symbol' }).isDisabled(), true);
      await dialog.getByRole('checkbox', { name: 'Volume' }).uncheck();
      await header(page, 'volume').waitFor({ state: 'detached' });
      assert.equal(await cell(page, 'volume').count(), 0, 'the rows lost the cell too');
      await dialog.getByRole('checkbox', { name: 'Volume' }).check();
      await header(page, 'volume').waitFor();
      await orderIs(page, DEFAULT_ORDER, 'Volume back in its place');
      await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    });

    test('dragging a header moves its column; nothing goes before Symbol', async () => {
      await newListWithSymbol(page, `drag${tag}`);
      // Both in view at either size (a drag does not scroll the grid sideways). Onto Last's left half: Ask goes before Last.
      const last = (await header(page, 'last').boundingBox())!;
      await header(page, 'ask').dragTo(header(page, 'last'), { targetPosition: { x: 4, y: last.height / 2 } });
      const moved = ['symbol', 'ask', ...DEFAULT_ORDER.slice(1).filter((c) => c !== 'ask')];
      await orderIs(page, moved, 'Ask moved before Last');
      // Onto Symbol's left half: it still lands after Symbol.
      await header(page, 'bid').dragTo(header(page, 'symbol'), { targetPosition: { x: 2, y: last.height / 2 } });
      await orderIs(page, ['symbol', 'bid', ...moved.slice(1).filter((c) => c !== 'bid')], 'Bid right after Symbol, which stays first');
    });

    test('the chooser moves columns by drag and by its buttons from the keyboard', async () => {
      await newListWithSymbol(page, `move${tag}`);
      const dialog = await openColumns(page);
      const up = dialog.getByRole('button', { name: 'Move Ask up' });
      await up.focus();
      await page.keyboard.press('Enter');
      const afterUp = ['symbol', 'last', 'change', 'percent', 'ask', 'bid', ...DEFAULT_ORDER.slice(6)];
      await orderIs(page, afterUp, 'Ask moved up one');
      assert.equal(await up.evaluate((el) => el === document.activeElement), true, 'focus stays on the button that moved');
      await page.keyboard.press('Enter');
      await orderIs(page, ['symbol', 'last', 'change', 'ask', 'percent', 'bid', ...DEFAULT_ORDER.slice(6)], 'and once more, from the keyboard alone');
      // Moving down moves the focused row's own node in the page, which would drop the focus.
      const down = dialog.getByRole('button', { name: 'Move Bid down' });
      await down.focus();
      await page.keyboard.press('Enter');
      await orderIs(page, ['symbol', 'last', 'change', 'ask', 'percent', 'bidSize', 'bid', ...DEFAULT_ORDER.slice(7)], 'Bid moved down one');
      assert.equal(await down.evaluate((el) => el === document.activeElement), true, 'focus stays on the button after moving down');
      assert.equal(await dialog.getByRole('button', { name: 'Move Last up' }).isDisabled(), true, 'nothing moves above Symbol');
      await dialog.locator('li[data-column="close"]').dragTo(dialog.locator('li[data-column="last"]'));
      await waitForAsync('Close dragged to second place', async () => (await headerOrder(page))[1] === 'close', 5_000);
      await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    });

    test('dragging a header edge resizes the column for header and rows; arrow keys do too', async () => {
      await newListWithSymbol(page, `size${tag}`);
      const before = await widthOf(page, 'last');
      const handle = page.getByRole('separator', { name: 'Resize Last', exact: true });
      const box = (await handle.boundingBox())!;
      await page.mouse.move(box.x + box.width / 2, box.y + box.height / 2);
      await page.mouse.down();
      await page.mouse.move(box.x + box.width / 2 + 30, box.y + box.height / 2, { steps: 3 });
      await page.mouse.move(box.x + box.width / 2 + 60, box.y + box.height / 2, { steps: 3 });
      await page.mouse.up();
      await waitForAsync('Last 60 px wider', async () => Math.abs((await widthOf(page, 'last')) - (before + 60)) <= 1, 5_000);
      assert.ok(Math.abs((await cell(page, 'last').boundingBox())!.width - (before + 60)) <= 1, 'the cells are as wide as their header');
      assert.deepEqual(await headerOrder(page), DEFAULT_ORDER, 'a resize is not a move');
      await handle.focus();
      await page.keyboard.press('ArrowLeft');
      await waitForAsync('8 px narrower by key', async () => Math.abs((await widthOf(page, 'last')) - (before + 52)) <= 1, 5_000);
      assert.equal(await handle.getAttribute('aria-valuenow'), String(before + 52));
      // Narrower than its text: the value is cut, so its full text is on hover.
      for (let i = 0; i < 8; i++) await page.keyboard.press('Shift+ArrowLeft');
      await waitForAsync('Last at its narrowest', async () => (await widthOf(page, 'last')) <= 30, 5_000);
      const shown = await cell(page, 'last').textContent();
      await waitForAsync('the full value on hover', async () => /\d/.test((await cell(page, 'last').getAttribute('title')) ?? ''), 5_000);
      assert.ok(shown, 'the cell still has its value');
    });

    test('reset brings back the default order, columns and widths', async () => {
      await newListWithSymbol(page, `reset${tag}`);
      const defaultWidth = await widthOf(page, 'bid');
      const handle = page.getByRole('separator', { name: 'Resize Bid', exact: true });
      await handle.focus();
      await page.keyboard.press('Shift+ArrowRight');
      const dialog = await openColumns(page);
      await dialog.getByRole('checkbox', { name: 'Open' }).uncheck();
      await dialog.getByRole('button', { name: 'Move High up' }).click();
      await header(page, 'open').waitFor({ state: 'detached' });
      assert.notDeepEqual(await headerOrder(page), DEFAULT_ORDER);
      await dialog.getByRole('button', { name: 'Reset to default' }).click();
      await orderIs(page, DEFAULT_ORDER, 'default order after reset');
      assert.equal(await widthOf(page, 'bid'), defaultWidth, 'default width after reset');
      await dialog.getByRole('button', { name: 'Close', exact: true }).click();
    });

    test('a layout belongs to its watchlist, survives a reload and reaches another tab', async () => {
      await newListWithSymbol(page, `keep${tag}`);
      const other = await app.open(viewport);
      try {
        const dialog = await openColumns(page);
        await dialog.getByRole('checkbox', { name: 'Bid Sz' }).uncheck();
        await dialog.getByRole('button', { name: 'Close', exact: true }).click();
        await header(page, 'bidSize').waitFor({ state: 'detached' });
        // The other tab shows the list once it picks the tab: the hidden column is hidden there too.
        await other.page.getByRole('tab', { name: new RegExp(`^keep${tag}\\b`) }).click();
        await header(other.page, 'bidSize').waitFor({ state: 'detached', timeout: 10_000 });
        // Another list keeps the default layout.
        await page.getByRole('tab', { name: /^Default\b/ }).click();
        await header(page, 'bidSize').waitFor();
        await page.getByRole('tab', { name: new RegExp(`^keep${tag}\\b`) }).click();
        await header(page, 'bidSize').waitFor({ state: 'detached' });
        await page.reload();
        await header(page, 'symbol').waitFor();
        assert.equal(await header(page, 'bidSize').count(), 0, 'still hidden after a reload');
        assert.equal(await header(page, 'askSize').count(), 1);
      } finally {
        await other.context.close();
      }
    });
  });
}
