/**
 * The window's chrome in the real renderer, in real Chromium, against `tapedeck serve` (its demo
 * engine, recording into the user-data database): the recording toggle in the status bar, messages
 * (information fades, errors stay until dismissed), CSV export and the database export's progress
 * bar as browser downloads, and About.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Page } from 'playwright-core';
import { cell, startServedApp, waitForNumber, type ServedApp } from '../helpers/browser-app.js';
import { runCli } from '../helpers/cli.js';
import { query } from '../helpers/db.js';
import { waitForAsync } from '../helpers/wait.js';

/** Megabytes of filler laid in the database before serve starts, so a database export takes many backup steps. */
const FILLER_MB = 96;

const status = (page: Page) => page.getByRole('contentinfo', { name: 'Status' });
const rowsShown = async (page: Page) => Number(((await status(page).getByText(/^rows [\d,]+$/).textContent()) ?? '').replace(/\D/g, ''));

/** Waits until AAPL's last price has changed `n` times: the feed is flowing, whatever is recorded. */
/** Waits until the status bar has been redrawn with new figures `n` times. */
async function statusRedraws(page: Page, n: number): Promise<void> {
  for (let i = 0; i < n; i++) {
    const before = await status(page).textContent();
    await page.waitForFunction(([el, text]) => el?.textContent !== text, [await status(page).elementHandle(), before] as const, { timeout: 15_000 });
  }
}

async function ticks(page: Page, n: number): Promise<void> {
  const last = cell(page, 'AAPL', 'last');
  for (let i = 0; i < n; i++) {
    const before = await last.textContent();
    await page.waitForFunction(([el, text]) => el?.textContent !== text, [await last.elementHandle(), before] as const, { timeout: 15_000 });
  }
}

describe('the window chrome in a browser', () => {
  let app: ServedApp;
  let db = '';

  before(async () => {
    app = await startServedApp({
      prefix: 'browser-chrome',
      prepare: async (userData) => {
        // A recording made earlier (by `record`), with a table of the user's own beside the
        // recorder's: the export copies every page of the file.
        mkdirSync(userData, { recursive: true, mode: 0o700 });
        const made = await runCli(['record', '--db', join(userData, 'tapedeck-demo.db'), '--duration', '1']);
        assert.equal(made.code, 0, made.stderr);
        const filler = new Database(join(userData, 'tapedeck-demo.db'));
        filler.exec(`CREATE TABLE filler (b BLOB); WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ${FILLER_MB * 16})
          INSERT INTO filler SELECT zeroblob(65536) FROM n;`);
        filler.close();
      },
    });
    db = join(app.userData, 'tapedeck-demo.db');
  });

  after(async () => {
    await app?.stop();
  });

  test('the status bar toggles recording without reconnecting; rows stop and resume; it shows the database size', async (t) => {
    const page = await app.open(t);
    await waitForNumber(page, 'AAPL');
    const toggle = status(page).getByRole('button', { name: /recording/i });
    await waitForAsync('recording on', async () => (await toggle.getAttribute('aria-pressed')) === 'true');
    assert.equal(await toggle.textContent(), '● Recording');
    // The database's size, as big as the file at least (the filler alone is FILLER_MB).
    const size = await status(page).getByText(/^[\d.]+ (KB|MB|GB)$/).textContent();
    assert.match(size ?? '', /^\d+\.\d MB$/);
    assert.ok(Number(size!.split(' ')[0]) >= FILLER_MB, `${size} for a file of over ${FILLER_MB} MB`);
    const reconnects = await status(page).getByText(/^reconnects \d+$/).textContent();

    await toggle.click();
    await waitForAsync('recording off', async () => (await toggle.getAttribute('aria-pressed')) === 'false');
    assert.equal(await toggle.textContent(), '○ Not recording');
    // Rows stop growing while the grid keeps ticking. The recorder's last batch (and the latest rows a
    // pause writes) may land first, and the status is redrawn once a second: wait for the count to
    // settle — recording that went on would never let it.
    let stopped = await rowsShown(page);
    await waitForAsync('the row count to settle', async () => {
      // Two redraws of the status bar (about a second each) between samples, not just a few ticks.
      await statusRedraws(page, 2);
      const now = await rowsShown(page);
      const settled = now === stopped;
      stopped = now;
      return settled;
    }, 20_000);
    const inDb = query<{ n: number }>(db, 'SELECT count(*) AS n FROM levelone_equities')[0]!.n;
    await statusRedraws(page, 3);
    assert.equal(await rowsShown(page), stopped, 'no rows while not recording');
    assert.equal(query<{ n: number }>(db, 'SELECT count(*) AS n FROM levelone_equities')[0]!.n, inDb, 'nothing written while not recording');

    await toggle.click();
    await waitForAsync('recording on again', async () => (await toggle.getAttribute('aria-pressed')) === 'true');
    await waitForAsync('rows growing again', async () => (await rowsShown(page)) > stopped);
    // Without reconnecting: still streaming, the reconnect count unchanged.
    assert.equal(await status(page).getByText(/^reconnects \d+$/).textContent(), reconnects);
    assert.match((await status(page).locator('.conn').textContent()) ?? '', /streaming/);
  });

  test('information fades; an error stays until dismissed', async (t) => {
    const page = await app.open(t);
    await waitForNumber(page, 'AAPL');
    const messages = page.locator('.messages');
    // An error: a CSV export the recorder refuses (the sessions table has no symbol column).
    await page.getByRole('button', { name: 'Export CSV…' }).click();
    let dialog = page.getByRole('dialog', { name: 'Export CSV' });
    await dialog.getByLabel('Table').selectOption('sessions');
    await dialog.getByLabel('Symbol (optional)').fill('AAPL');
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    const error = messages.getByRole('alert').filter({ hasText: 'sessions has no key column' });
    await error.waitFor();
    await dialog.getByRole('button', { name: 'Cancel' }).click();

    // Information: a CSV export that works says so, then fades.
    await page.getByRole('button', { name: 'Export CSV…' }).click();
    dialog = page.getByRole('dialog', { name: 'Export CSV' });
    await dialog.getByLabel('Symbol (optional)').fill('MSFT');
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    const info = messages.locator('.message.info').filter({ hasText: /^Exported \d+ rows of levelone_equities/ });
    await info.waitFor();
    await info.waitFor({ state: 'detached', timeout: 20_000 });
    // The error, older than the information, outlived it; it goes when dismissed.
    assert.equal(await error.count(), 1, 'the error is still shown');
    await error.getByRole('button', { name: 'Dismiss' }).click();
    await error.waitFor({ state: 'detached' });
  });

  test('Export CSV… downloads the table\'s header and the rows of one symbol', async (t) => {
    const page = await app.open(t);
    await waitForNumber(page, 'AAPL');
    await page.getByRole('button', { name: 'Export CSV…' }).click();
    const dialog = page.getByRole('dialog', { name: 'Export CSV' });
    // The table list arrives from the host after the dialog opens.
    await waitForAsync('the quotes table proposed', async () => (await dialog.getByLabel('Table').inputValue()) === 'levelone_equities', 15_000);
    await dialog.getByLabel('Symbol (optional)').fill('AAPL');
    const download = page.waitForEvent('download', { timeout: 30_000 });
    await dialog.getByRole('button', { name: 'Export', exact: true }).click();
    const file = join(app.dir, 'aapl.csv');
    await (await download).saveAs(file);
    const said = await page.locator('.messages').getByText(/^Exported \d+ rows of levelone_equities/).textContent();
    const rows = Number(/Exported (\d+) rows/.exec(said ?? '')![1]);

    const lines = readFileSync(file, 'utf8').split(/\r?\n/).filter((l) => l !== '');
    const columns = query<{ name: string }>(db, 'PRAGMA table_info(levelone_equities)').map((c) => c.name);
    assert.deepEqual(lines[0]!.split(','), columns, 'the header names the table\'s columns, in order');
    assert.ok(rows > 0);
    assert.equal(lines.length - 1, rows, 'one line per exported row');
    const keyAt = columns.indexOf('key');
    assert.ok(lines.slice(1).every((l) => l.split(',')[keyAt] === 'AAPL'), 'only AAPL rows');
    const recorded = query<{ n: number }>(db, "SELECT count(*) AS n FROM levelone_equities WHERE key = 'AAPL'")[0]!.n;
    assert.ok(rows <= recorded && rows > 0, `${rows} exported of ${recorded} recorded so far`);
  });

  test('Export database… shows a progress bar while it copies, then downloads the copy', async (t) => {
    const page = await app.open(t);
    await waitForNumber(page, 'AAPL');
    // Every value the progress bar shows, seen by the page itself (the copy takes well under a second).
    await page.evaluate(() => {
      const seen: number[] = [];
      (window as unknown as { progressSeen: number[] }).progressSeen = seen;
      new MutationObserver(() => {
        const bar = document.querySelector('progress[aria-label="Export progress"]');
        if (bar instanceof HTMLProgressElement) seen.push(bar.value);
      }).observe(document.body, { subtree: true, childList: true, attributes: true });
    });
    const download = page.waitForEvent('download', { timeout: 60_000 });
    await page.getByRole('button', { name: 'Export database…' }).click();
    const file = join(app.dir, 'copy.db');
    await (await download).saveAs(file);
    await page.getByLabel('Export progress').waitFor({ state: 'detached' });
    const seen = await page.evaluate(() => (window as unknown as { progressSeen: number[] }).progressSeen);
    assert.ok(seen.length > 0, 'the progress bar was shown');
    assert.ok(seen.some((v) => v > 0 && v < 1), `a value part of the way: ${seen.join(', ')}`);
    const copy = new Database(file, { readonly: true });
    try {
      assert.equal(copy.pragma('integrity_check', { simple: true }), 'ok');
      assert.equal((copy.prepare('SELECT count(*) AS n FROM filler').get() as { n: number }).n, FILLER_MB * 16);
    } finally {
      copy.close();
    }
  });

  test('Settings opened before the app state arrives shows what is saved once it comes, not the defaults', async (t) => {
    const keepDays = (page: Page) => page.getByRole('dialog', { name: 'Settings' }).getByLabel(/keep data for/i);
    const saveKeepDays = async (page: Page, days: string) => {
      await page.getByRole('button', { name: 'Settings' }).click();
      await keepDays(page).fill(days);
      await page.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Save', exact: true }).click();
      await page.getByText('Settings saved.').first().waitFor();
      await page.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Close' }).click();
    };
    const page = await app.open(t);
    await saveKeepDays(page, '30');
    try {
      // A second page whose app state (the answer to its snapshot request) the test holds back.
      let release = () => {};
      const held = new Promise<void>((resolve) => (release = resolve));
      const late = await app.open(t, undefined, (p) =>
        p.routeWebSocket(/./, (ws) => {
          const server = ws.connectToServer();
          const snapshotIds = new Set<number>();
          ws.onMessage((m) => {
            const msg = JSON.parse(String(m)) as { t?: string; id?: number; name?: string };
            if (msg.t === 'invoke' && msg.name === 'app:snapshot' && msg.id !== undefined) snapshotIds.add(msg.id);
            server.send(m);
          });
          server.onMessage((m) => {
            const msg = JSON.parse(String(m)) as { t?: string; id?: number };
            if (msg.t === 'result' && msg.id !== undefined && snapshotIds.has(msg.id)) void held.then(() => ws.send(m));
            else ws.send(m);
          });
        }),
      );
      await late.getByRole('button', { name: 'Settings' }).click();
      release();
      await keepDays(late).waitFor();
      assert.equal(await keepDays(late).inputValue(), '30', 'the dialog shows the saved retention');
      await late.getByRole('dialog', { name: 'Settings' }).getByRole('button', { name: 'Close' }).click();
    } finally {
      // Keep everything again: the app is shared with the tests that follow.
      await saveKeepDays(page, '');
    }
  });

  test('About lists the versions of Tapedeck, Node.js, SQLite and the browser', async (t) => {
    const page = await app.open(t);
    await page.getByRole('button', { name: 'About' }).click();
    const about = page.getByRole('dialog', { name: 'About Tapedeck' });
    const term = (name: string) => about.locator('dt', { hasText: new RegExp(`^${name}$`) }).locator('xpath=following-sibling::dd[1]');
    await term('Tapedeck').waitFor();
    const pkg = JSON.parse(readFileSync('package.json', 'utf8')) as { version: string };
    assert.equal(await term('Tapedeck').textContent(), pkg.version);
    // serve runs on the same Node as this test, and loads the same SQLite.
    assert.equal(await term('Node.js').textContent(), process.versions.node);
    const sqlite = new Database(':memory:');
    try {
      assert.equal(await term('SQLite').textContent(), (sqlite.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v);
    } finally {
      sqlite.close();
    }
    // In browser mode the page runs in the user's browser, named from the page (whose user agent
    // gives only the major version exactly).
    const major = app.browser.version().split('.')[0];
    assert.match((await term('Browser').textContent()) ?? '', new RegExp(`^Chrome ${major}\\.[\\d.]+$`));
    await about.getByRole('button', { name: 'Close' }).click();
    await about.waitFor({ state: 'detached' });
  });
});
