/**
 * The time-zone setting in the real app: Chromium runs in Tokyo, so exchange time (ET) and local
 * time differ by 14 hours (in November; 13 in summer). Switching the setting relabels and shifts
 * the grid's trade times and Time & Sales, relabels the CSV range, and the range typed there is
 * read in the chosen zone.
 */
import assert from 'node:assert/strict';
import { readFile } from 'node:fs/promises';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { serveApp, VIEWPORTS, type ServedApp } from '../helpers/served-app.js';
import { waitForAsync } from '../helpers/wait.js';

const ZONE = 'Asia/Tokyo';

/** Tokyo minus New York at an instant, in minutes (Intl directly, not the code under test). */
function tokyoAhead(ms: number): number {
  const minutes = (zone: string) => {
    const p = Object.fromEntries(new Intl.DateTimeFormat('en-US', { timeZone: zone, hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).formatToParts(ms).map((x) => [x.type, x.value]));
    return Number(p.hour) * 60 + Number(p.minute);
  };
  return (((minutes(ZONE) - minutes('America/New_York')) % 1440) + 1440) % 1440;
}
const minutesOf = (hhmmss: string) => Number(hhmmss.slice(0, 2)) * 60 + Number(hhmmss.slice(3, 5));

async function chooseZone(page: Page, choice: RegExp): Promise<void> {
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  const select = dialog.getByLabel('Time zone');
  const value = await select.locator('option', { hasText: choice }).getAttribute('value');
  await select.selectOption(value!);
  await dialog.getByRole('button', { name: 'Save', exact: true }).click();
  await page.getByText('Settings saved.').first().waitFor();
  await dialog.getByRole('button', { name: 'Close' }).click();
}

const timeCell = (page: Page) => page.getByRole('row', { name: 'AAPL', exact: true }).locator('[data-field="time"]');
async function tradeTime(page: Page): Promise<string> {
  return waitForAsync('a trade time', async () => {
    const t = (await timeCell(page).textContent()) ?? '';
    return /^\d{2}:\d{2}:\d{2}$/.test(t) ? t : null;
  });
}

for (const viewport of VIEWPORTS) {
  describe(`time zone at ${viewport.width}×${viewport.height}, browser in ${ZONE}`, () => {
    let app: ServedApp;
    let context: BrowserContext;
    let page: Page;

    before(async () => {
      app = await serveApp('browser-timezone');
    });
    beforeEach(async () => {
      ({ context, page } = await app.open(viewport, { timezoneId: ZONE }));
    });
    afterEach(async () => {
      await context?.close();
    });
    after(async () => {
      await app?.close();
      assert.deepEqual(app?.problems ?? [], [], 'no script error, console error or native dialog');
    });

    test('labels switch from ET to the local abbreviation and times move with them', async () => {
      await chooseZone(page, /^Exchange time/);
      await page.getByRole('columnheader', { name: 'Trade Time (ET)' }).waitFor();
      await page.getByRole('row', { name: 'AAPL', exact: true }).click();
      const tape = page.getByRole('table', { name: 'Trades, newest first' });
      await tape.getByRole('columnheader', { name: 'Time (ET)' }).waitFor({ timeout: 20_000 });
      const et = await tradeTime(page);
      const tapeEt = (await tape.locator('tbody tr td').first().textContent())!;

      await chooseZone(page, /^Local time/);
      await page.getByRole('columnheader', { name: 'Trade Time (GMT+9)' }).waitFor();
      await tape.getByRole('columnheader', { name: 'Time (GMT+9)' }).waitFor();
      assert.equal(await page.getByRole('columnheader', { name: /\(ET\)/ }).count(), 0, 'no header still says ET');
      const local = await tradeTime(page);
      const tapeLocal = (await tape.locator('tbody tr td').first().textContent())!;
      const ahead = tokyoAhead(Date.now());
      // Readings a few seconds apart: the shift is the zones' difference, give or take a minute.
      for (const [before, after, what] of [[et, local, 'grid'], [tapeEt, tapeLocal, 'time & sales']] as const) {
        const shift = (((minutesOf(after) - minutesOf(before)) % 1440) + 1440) % 1440;
        assert.ok(Math.abs(shift - ahead) <= 1, `${what}: ${before} ET became ${after} local, ${shift} min later, not ${ahead}`);
      }

      await page.getByRole('button', { name: 'Export CSV…' }).click();
      const csv = page.getByRole('dialog', { name: 'Export CSV' });
      await csv.getByLabel('From (GMT+9)').waitFor();
      await csv.getByLabel('To (GMT+9)').waitFor();
    });

    test('the CSV range is read in the chosen zone', async () => {
      await chooseZone(page, /^Local time/);
      const last = page.getByRole('row', { name: 'AAPL', exact: true }).locator('[data-field="last"]');
      await page.waitForFunction((el) => /\d/.test(el?.textContent ?? ''), await last.elementHandle(), { timeout: 20_000 });
      // A whole second after some rows were recorded, with more recorded after it.
      const cut = Math.ceil(Date.now() / 1000) * 1000;
      await page.waitForFunction((t) => Date.now() > t, cut, { timeout: 5_000 });
      const before = await last.textContent();
      await page.waitForFunction(([el, text]) => el?.textContent !== text, [await last.elementHandle(), before] as const, { timeout: 15_000 });

      const p = Object.fromEntries(
        new Intl.DateTimeFormat('en-US', { timeZone: ZONE, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
          .formatToParts(cut)
          .map((x) => [x.type, x.value]),
      );
      await page.getByRole('button', { name: 'Export CSV…' }).click();
      const dialog = page.getByRole('dialog', { name: 'Export CSV' });
      await dialog.getByLabel('Symbol (optional)').fill('AAPL');
      await dialog.getByLabel(/^From/).fill(`${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`);
      const [download] = await Promise.all([page.waitForEvent('download', { timeout: 30_000 }), dialog.getByRole('button', { name: 'Export' }).click()]);
      const text = await readFile((await download.path())!, 'utf8');
      const [head, ...rows] = text.trim().split(/\r?\n/);
      const at = head!.split(',').indexOf('received_at');
      assert.ok(at >= 0, head);
      const times = rows.map((r) => Number(r.split(',')[at]));
      // Read as New York time the cut would lie 14 h ahead (no rows); read as UTC, 9 h back (every row).
      assert.ok(times.length > 0, 'rows after the cut were exported');
      assert.ok(times.every((t) => t >= cut), `every row from ${new Date(cut).toISOString()} on; earliest ${new Date(Math.min(...times)).toISOString()}`);
    });
  });
}
