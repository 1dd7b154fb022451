/**
 * Alerts in the real renderer in real Chromium against `tapedeck serve` (demo engine): created in
 * the panel (from one line of the grammar at 1400×900, from the fields at 1024×700), fired by the
 * host, shown in the panel and said by the live region, and delivered by the Notification API when
 * the browser allows it, by an in-app banner when it does not.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Browser, BrowserContext, Page } from 'playwright-core';
import { BROWSER_FEED_RATE, launchChromium } from '../helpers/chromium.js';
import { startCli, type CliRun } from '../helpers/cli.js';
import { query } from '../helpers/db.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor, waitForAsync } from '../helpers/wait.js';

const tmp = tempDir('browser-alerts');

declare global {
  interface Window {
    __notified?: string[];
  }
}

/**
 * Records every Notification the page creates (a headless browser shows none). A string, not a
 * function: the test runner's transpiler would add helpers the page does not have.
 */
const RECORD_NOTIFICATIONS = `(() => {
  const Native = window.Notification;
  window.__notified = [];
  class Recorded extends Native {
    constructor(title, options) {
      window.__notified.push(title + ': ' + (options && options.body ? options.body : ''));
      super(title, options);
    }
    static get permission() { return Native.permission; }
    static requestPermission(cb) { return Native.requestPermission(cb); }
  }
  window.Notification = Recorded;
})();`;

describe('alerts in a browser', () => {
  let serve: CliRun;
  let browser: Browser;
  let openUrl = '';
  const nativeDialogs: string[] = [];
  const pageErrors: string[] = [];

  async function openApp(viewport: { width: number; height: number }, allowNotifications: boolean): Promise<{ context: BrowserContext; page: Page }> {
    const context = await browser.newContext({ viewport });
    const origin = new URL(openUrl).origin;
    if (allowNotifications) await context.grantPermissions(['notifications'], { origin });
    await context.addInitScript(RECORD_NOTIFICATIONS);
    context.on('weberror', (e) => pageErrors.push(`page error: ${e.error().message}`));
    context.on('console', (m) => m.type() === 'error' && pageErrors.push(`console error: ${m.text()}`));
    context.on('dialog', (d) => {
      nativeDialogs.push(`${d.type()}: ${d.message()}`);
      void d.dismiss();
    });
    const page = await context.newPage();
    await page.goto(openUrl);
    await page.getByRole('row', { name: 'AAPL', exact: true }).waitFor();
    return { context, page };
  }

  /** The panel fits the window: a dialog taller or wider than the viewport would hide its buttons. */
  async function assertFits(page: Page): Promise<void> {
    const box = (await page.getByRole('dialog', { name: 'Alerts' }).boundingBox())!;
    const vp = page.viewportSize()!;
    assert.ok(box.x >= 0 && box.y >= 0 && box.x + box.width <= vp.width && box.y + box.height <= vp.height, `the panel ${JSON.stringify(box)} fits ${vp.width}×${vp.height}`);
  }

  before(async () => {
    serve = startCli(['serve', '--port', '0', '--user-data', join(tmp.dir, 'user'), '--rate', String(BROWSER_FEED_RATE)]);
    openUrl = await waitFor('serve URL', () => /listening on (\S+)/.exec(serve.stdout())?.[1], 30_000);
    browser = await launchChromium();
  });

  after(async () => {
    await browser?.close();
    serve.child.kill('SIGTERM');
    await serve.exit;
    // The app records by default: every firing of the suite is in the alerts table.
    const rules = query<{ rule: string }>(join(tmp.dir, 'user', 'tapedeck-demo.db'), 'SELECT rule FROM alerts ORDER BY id').map((r) => r.rule);
    tmp.cleanup();
    assert.deepEqual(rules, ['AAPL last > 1', 'MSFT last > 2'], 'each firing was stored once');
    assert.deepEqual(nativeDialogs, [], 'no native dialog opened');
    assert.deepEqual(pageErrors, [], 'no script or console error in the page');
  });

  test('1400×900, notifications allowed: a rule typed in the grammar fires, is listed, announced and notified', async () => {
    const { context, page } = await openApp({ width: 1400, height: 900 }, true);
    try {
      const opener = page.getByRole('button', { name: 'Alerts', exact: true });
      await opener.click();
      const panel = page.getByRole('dialog', { name: 'Alerts' });
      await panel.waitFor();
      await assertFits(page);
      const rule = panel.getByLabel('Rule', { exact: true });
      assert.equal(await rule.evaluate((el) => el === document.activeElement), true, 'focus moves into the panel');

      await rule.fill('AAPL last >= 1');
      await rule.press('Enter');
      await panel.getByRole('alert').getByText("'>=' is not a condition").waitFor();
      assert.equal(await rule.getAttribute('aria-invalid'), 'true');

      await rule.fill('AAPL last > 1');
      await rule.press('Enter');
      await panel.getByRole('listitem').filter({ hasText: 'AAPL last > 1' }).waitFor();
      await page.getByRole('status', { name: 'Alert announcements' }).getByText(/^Alert fired: AAPL last > 1 \(value \d/).waitFor();
      // Once: the rule is switched off after it fired.
      await waitForAsync('the rule switched off', async () => !(await panel.getByRole('checkbox', { name: 'Enable AAPL last > 1' }).isChecked()), 10_000);
      const notified = await page.evaluate(() => window.__notified ?? []);
      assert.ok(notified.some((n) => /^Tapedeck alert: AAPL last > 1 — value \d/.test(n)), notified.join(' | '));
      assert.equal(await page.locator('.message').filter({ hasText: 'AAPL last > 1' }).count(), 0, 'no fallback banner when notifications are allowed');

      await panel.getByRole('button', { name: 'Clear history' }).click();
      await panel.getByText('Nothing has fired.').waitFor();
      await panel.getByRole('button', { name: 'Delete AAPL last > 1' }).click();
      await panel.getByText('No alerts yet.').waitFor();
      await page.keyboard.press('Escape');
      await panel.waitFor({ state: 'detached' });
      assert.equal(await opener.evaluate((el) => el === document.activeElement), true, 'focus returns to the Alerts button');
    } finally {
      await context.close();
    }
  });

  test('1024×700, notifications not allowed: a rule made from the fields fires and shows the fallback banner', async () => {
    const { context, page } = await openApp({ width: 1024, height: 700 }, false);
    try {
      await page.getByRole('button', { name: 'Alerts', exact: true }).click();
      const panel = page.getByRole('dialog', { name: 'Alerts' });
      await panel.waitFor();
      await assertFits(page);
      assert.notEqual(await page.evaluate(() => Notification.permission), 'granted');

      const form = panel.getByRole('form', { name: 'New alert' });
      await form.getByLabel('Symbol').fill('MSFT');
      await form.getByLabel('Field').selectOption('last');
      await form.getByLabel('Condition').selectOption('above');
      await form.getByLabel('Value').fill('2');
      await form.getByRole('button', { name: 'Create alert' }).click();

      await panel.getByRole('listitem').filter({ hasText: 'MSFT last > 2' }).waitFor();
      await page.getByRole('status', { name: 'Alert announcements' }).getByText(/^Alert fired: MSFT last > 2/).waitFor();
      await page.locator('.message').filter({ hasText: /^Alert: MSFT last > 2 — value \d/ }).waitFor();
      assert.deepEqual(await page.evaluate(() => window.__notified), [], 'no Notification was attempted');

      // Edit: the rule comes back into the fields; saving it re-enables it.
      await panel.getByRole('button', { name: 'Edit MSFT last > 2' }).click();
      const edit = panel.getByRole('form', { name: 'Edit alert' });
      assert.equal(await edit.getByLabel('Value').inputValue(), '2');
      await edit.getByLabel('Value').fill('100000');
      await edit.getByRole('button', { name: 'Save alert' }).click();
      await panel.getByRole('checkbox', { name: 'Enable MSFT last > 100000' }).waitFor();
      assert.equal(await panel.getByRole('checkbox', { name: 'Enable MSFT last > 100000' }).isChecked(), true);
      await panel.getByRole('button', { name: 'Delete MSFT last > 100000' }).click();
      await panel.getByText('No alerts yet.').waitFor();
    } finally {
      await context.close();
    }
  });
});
