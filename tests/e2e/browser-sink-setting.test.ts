/**
 * Settings → Recording → Ship to PostgreSQL in the real app (`tapedeck serve`, Chromium) against a
 * real PostgreSQL: a bad URL is refused next to the field and nothing is saved; a good one ships
 * the demo recording (rows arrive in PostgreSQL), the status bar and Settings say so, the URL is
 * only ever shown with its password masked, and a reload shows it kept.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Page } from 'playwright-core';
import { startServedApp } from '../helpers/browser-app.js';
import { testDatabase } from '../helpers/postgres.js';
import { waitForAsync } from '../helpers/wait.js';

/** A bound on each wait, generous for a shared machine (never a speed assertion). */
const WAIT_MS = 60_000;

async function openSettings(page: Page) {
  await page.getByRole('button', { name: 'Settings' }).click();
  const dialog = page.getByRole('dialog', { name: 'Settings' });
  await dialog.waitFor();
  return dialog;
}

test('shipping the demo recording to PostgreSQL from Settings', async (t) => {
  const pg = await testDatabase(t);
  if (!pg) return;
  const password = new URL(pg.url).password;
  const masked = pg.url.replace(`:${password}@`, ':***@');
  const app = await startServedApp({ prefix: 'browser-sink' });
  t.after(() => app.stop());
  const page = await app.open(t);

  let dialog = await openSettings(page);
  const field = dialog.getByLabel('PostgreSQL URL');

  // Refused: the reason next to the field (password masked), nothing saved, nothing shipped.
  await field.fill('postgres://me:hunter2@/nodb');
  await dialog.getByRole('button', { name: 'Save URL' }).click();
  const refusal = dialog.getByRole('alert');
  await refusal.waitFor();
  const said = (await refusal.textContent()) ?? '';
  assert.match(said, /PostgreSQL URL: 'postgres:\/\/me:\*\*\*@\/nodb' is not a URL/);
  assert.doesNotMatch(said, /hunter2/);
  assert.equal(await field.getAttribute('aria-invalid'), 'true');
  assert.equal(await dialog.getByTestId('sink-saved-url').count(), 0, 'nothing was saved');
  assert.equal(await dialog.getByLabel('Ship every committed batch to PostgreSQL').isChecked(), false);

  // Accepted with Enter: the field empties and the saved URL shows masked.
  await field.fill(pg.url);
  await field.press('Enter');
  await dialog.getByTestId('sink-saved-url').getByText(`Saved: ${masked}`).waitFor();
  assert.equal(await refusal.count(), 0, 'the refusal is gone');
  assert.equal(await field.inputValue(), '');
  assert.equal(await dialog.getByLabel('Ship every committed batch to PostgreSQL').isChecked(), true);

  const rows = await waitForAsync('demo rows in PostgreSQL', async () => {
    const [r] = await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM levelone_equities').catch(() => [{ n: 0 }]);
    return r!.n > 0 ? r!.n : null;
  }, WAIT_MS);
  assert.ok(rows > 0);
  const [{ recorder_id: recorderId }] = (await pg.query<{ recorder_id: string }>('SELECT DISTINCT recorder_id FROM levelone_equities')) as [{ recorder_id: string }];
  await dialog.getByTestId('sink-state').getByText(`Shipping to ${masked} as recorder ${recorderId}`).waitFor({ timeout: WAIT_MS });
  await page.getByTestId('status-sink').getByText(/^PostgreSQL: shipping/).waitFor({ timeout: WAIT_MS });

  // The password is nowhere in the page, nor in settings.json; it is in the 0600 secrets file.
  assert.doesNotMatch(await page.content(), new RegExp(password));
  assert.doesNotMatch(readFileSync(join(app.userData, 'settings.json'), 'utf8'), new RegExp(password));
  assert.match(readFileSync(join(app.userData, 'secrets.json'), 'utf8'), new RegExp(password));

  // A reload shows it kept, and shipping goes on.
  await page.reload();
  await page.getByRole('grid').first().waitFor();
  dialog = await openSettings(page);
  await dialog.getByTestId('sink-saved-url').getByText(`Saved: ${masked}`).waitFor();
  assert.equal(await dialog.getByLabel('Ship every committed batch to PostgreSQL').isChecked(), true);
  assert.match((await dialog.getByLabel('PostgreSQL URL').getAttribute('placeholder')) ?? '', new RegExp(`saved: ${masked.replace(/[.*+?^${}()|[\]\\]/g, '\\$&')}`));
  await waitForAsync('more rows after the reload', async () => {
    const [r] = await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM levelone_equities');
    return r!.n > rows;
  }, WAIT_MS);
  assert.doesNotMatch(await page.content(), new RegExp(password));

  // Switched off from Settings: the status bar no longer shows the sink.
  // (The box shows the host's answer, so it changes once the setting is saved.)
  const onOff = dialog.getByLabel('Ship every committed batch to PostgreSQL');
  await onOff.click();
  await page.waitForFunction((el) => !(el as HTMLInputElement).checked, await onOff.elementHandle());
  await page.getByTestId('status-sink').waitFor({ state: 'detached', timeout: WAIT_MS });
});
