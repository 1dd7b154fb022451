/**
 * The selected symbol's panels and the movers, in the real renderer, in real Chromium, against
 * `tapedeck serve` (its demo engine speaks the Schwab dialect): the Level II book whose best level
 * is the grid's bid and ask, time & sales derived from level-one trades, and the movers list.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { row, startServedApp, waitForNumber, type ServedApp } from '../helpers/browser-app.js';
import { waitForAsync } from '../helpers/wait.js';

const price = (text: string | null | undefined): number => Number((text ?? '').replace(/,/g, ''));

interface BookView {
  bids: number[];
  asks: number[];
  gridBid: number;
  gridAsk: number;
}

/**
 * The book's price columns and the grid's bid/ask for a symbol, read in one go (one frame of the
 * page). No named functions inside: the test's compiler would wrap them in a helper the page lacks.
 */
function readBook(page: Page, symbol: string): Promise<BookView> {
  return page.evaluate((sym) => {
    const panel = document.querySelector(`[aria-label="Level II ${sym}"]`);
    const gridRow = document.querySelector(`[role=grid] [role=row][aria-label="${sym}"]`);
    const [bids, asks] = ['Bids', 'Asks'].map((label) =>
      [...(panel?.querySelectorAll(`table[aria-label="${label}"] tbody tr td:first-child`) ?? [])].map((td) => Number(td.textContent!.replace(/,/g, ''))),
    );
    const [gridBid, gridAsk] = ['bid', 'ask'].map((field) => Number(gridRow?.querySelector(`[data-field="${field}"]`)?.textContent?.replace(/,/g, '') || NaN));
    return { bids: bids!, asks: asks!, gridBid: gridBid!, gridAsk: gridAsk! };
  }, symbol);
}

describe('detail panels and movers in a browser', () => {
  let app: ServedApp;

  before(async () => {
    app = await startServedApp({ prefix: 'browser-panels' });
  });

  after(async () => {
    await app?.stop();
  });

  test('Level II shows the selected symbol\'s book, best first, its best bid and ask equal to the grid\'s', async (t) => {
    const page = await app.open(t);
    await waitForNumber(page, 'AAPL', 'bid');
    await row(page, 'AAPL').click();
    const book = page.getByLabel('Level II AAPL');
    await book.getByRole('table', { name: 'Bids' }).locator('tbody tr').first().waitFor({ timeout: 20_000 });
    // The grid and the book each follow their own stream: compare them as they move, several
    // times, so a book that lags, belongs to another symbol or is ordered wrongly cannot pass.
    const matched = new Set<number>();
    let last: BookView | null = null;
    await waitForAsync('the book\'s best levels to equal the grid\'s bid and ask at three different bids', async () => {
      last = await readBook(page, 'AAPL');
      const { bids, asks, gridBid, gridAsk } = last;
      if (bids.length === 0 || asks.length === 0) return false;
      if (bids[0] === gridBid && asks[0] === gridAsk) matched.add(gridBid);
      return matched.size >= 3;
    }, 60_000).catch((err: Error) => {
      throw new Error(`${err.message}; matched ${[...matched].join(', ')}; last read ${JSON.stringify(last)}`);
    });
    const view = last as BookView | null;
    assert.ok(view);
    assert.ok(view.bids.length >= 5 && view.asks.length >= 5, `${view.bids.length} bid and ${view.asks.length} ask levels`);
    assert.deepEqual(view.bids, [...view.bids].sort((a, b) => b - a), 'bids best (highest) first');
    assert.deepEqual(view.asks, [...view.asks].sort((a, b) => a - b), 'asks best (lowest) first');
    assert.ok(view.bids[0]! < view.asks[0]!, 'the book is not crossed');

    // Another symbol, another book.
    await row(page, 'MSFT').click();
    await page.getByLabel('Level II MSFT').getByRole('table', { name: 'Bids' }).locator('tbody tr').first().waitFor({ timeout: 20_000 });
    assert.equal(await page.getByLabel('Level II AAPL').count(), 0);
  });

  test('time & sales lists the selected symbol\'s trades, newest first, marked as derived', async (t) => {
    const page = await app.open(t);
    await waitForNumber(page, 'MSFT');
    await row(page, 'MSFT').click();
    const tape = page.getByLabel('Time and sales');
    // Schwab (the demo's dialect) has no time-and-sales service: the tape says it is derived.
    assert.match((await tape.locator('.panel-title').textContent()) ?? '', /^Time & Sales \(derived\)$/);
    const trades = tape.getByRole('table', { name: 'Trades, newest first' }).locator('tbody tr');
    await trades.nth(2).waitFor({ timeout: 30_000 });
    // Newest first: times (HH:MM:SS, New York) never increase down the list.
    const times = await trades.locator('td:first-child').allTextContents();
    assert.deepEqual(times, [...times].sort().reverse(), 'newest first');
    // The trades are MSFT's: the newest comes to be the grid's last price (derived from its trades).
    await waitForAsync('the newest trade at the grid\'s last price', async () =>
      page.evaluate(() => {
        const top = document.querySelector('[aria-label="Trades, newest first"] tbody tr td:nth-child(2)')?.textContent;
        const lastCell = document.querySelector('[role=grid] [role=row][aria-label="MSFT"] [data-field="last"]')?.textContent;
        return !!top && !!lastCell && Number(top.replace(/,/g, '')) === Number(lastCell.replace(/,/g, ''));
      }), 30_000);
    const before = await trades.count();
    await waitForAsync('more trades', async () => (await trades.count()) > before, 30_000);

    // Another symbol: its own tape, not MSFT's.
    const msftPrices = new Set((await trades.locator('td:nth-child(2)').allTextContents()).map(price));
    await row(page, 'AAPL').click();
    await page.getByLabel('Level II AAPL').waitFor();
    await waitForAsync('AAPL trades', async () => {
      const prices = (await trades.locator('td:nth-child(2)').allTextContents()).map(price);
      return prices.length > 0 && prices.every((p) => !msftPrices.has(p));
    }, 30_000);
  });

  test('movers show the screener\'s most active symbols under their title; picking one selects it', async (t) => {
    const page = await app.open(t);
    const movers = page.getByLabel('Movers');
    assert.equal(await movers.locator('.panel-title').textContent(), 'Movers NASDAQ — most active by volume');
    const entries = movers.getByRole('button');
    await entries.nth(2).waitFor({ timeout: 30_000 });
    const first = entries.first();
    const [symbol, volume] = await first.locator('span').allTextContents();
    assert.match(symbol ?? '', /^[A-Z][A-Z.]*$/);
    assert.match(volume ?? '', /^\d{1,3}(,\d{3})*$/, 'volume, grouped');
    await first.click();
    await page.getByLabel(`Level II ${symbol}`).waitFor();
  });
});
