/**
 * axe-core over the real app with data flowing, at two window sizes: the main view (a symbol
 * selected, so chart, book and tape are filled) and each dialog open. Any serious or critical
 * violation fails, printed rule by rule with the elements it found.
 *
 * axe's source goes in with page.evaluate (a DevTools-protocol evaluation), not a <script> tag:
 * the app's CSP (script-src 'self') rightly refuses inline scripts, and evaluating through the
 * protocol is not subject to it, so the product's CSP stays exactly as shipped and the test
 * needs no bypass.
 */
import assert from 'node:assert/strict';
import { createRequire } from 'node:module';
import { after, afterEach, before, beforeEach, describe, test } from 'node:test';
import type { BrowserContext, Page } from 'playwright-core';
import { serveApp, VIEWPORTS, type ServedApp } from '../helpers/served-app.js';

const AXE_SOURCE = (createRequire(import.meta.url)('axe-core') as { source: string }).source;

interface Violation {
  id: string;
  impact: string | null;
  help: string;
  nodes: { target: unknown[]; failureSummary?: string }[];
}

/** Runs axe on the page as it is and returns its serious and critical violations, readable. */
async function seriousViolations(page: Page): Promise<string[]> {
  if (!(await page.evaluate('typeof window.axe === "object"'))) await page.evaluate(AXE_SOURCE);
  // Plain JS text: a function passed as code would carry tsx's __name helper into the page.
  const violations = (await page.evaluate(`axe.run(document, { resultTypes: ['violations'] }).then((r) => r.violations)`)) as Violation[];
  return violations
    .filter((v) => v.impact === 'serious' || v.impact === 'critical')
    .map((v) => `${v.impact} ${v.id}: ${v.help}\n${v.nodes.slice(0, 5).map((n) => `    ${JSON.stringify(n.target)} — ${(n.failureSummary ?? '').replace(/\s+/g, ' ')}`).join('\n')}`);
}

async function expectNone(page: Page, where: string): Promise<void> {
  const found = await seriousViolations(page);
  assert.deepEqual(found, [], `${where}:\n${found.join('\n')}`);
}

for (const viewport of VIEWPORTS) {
  describe(`accessibility at ${viewport.width}×${viewport.height}`, () => {
    let app: ServedApp;
    let context: BrowserContext;
    let page: Page;

    before(async () => {
      app = await serveApp('browser-a11y');
    });
    beforeEach(async () => {
      ({ context, page } = await app.open(viewport));
      const last = page.getByRole('row', { name: 'AAPL', exact: true }).locator('[data-field="last"]');
      await last.waitFor();
      await page.waitForFunction((el) => /\d/.test(el?.textContent ?? ''), await last.elementHandle(), { timeout: 20_000 });
    });
    afterEach(async () => {
      await context?.close();
    });
    after(async () => {
      await app?.close();
      assert.deepEqual(app?.problems ?? [], [], 'no script error, console error (a CSP refusal included) or native dialog');
    });

    test('the main view with a symbol selected and data flowing', async () => {
      await page.getByRole('row', { name: 'AAPL', exact: true }).click();
      await page.locator('[data-bars]').first().waitFor();
      await page.getByRole('table', { name: 'Trades, newest first' }).waitFor({ timeout: 20_000 });
      await expectNone(page, 'main view');
    });

    for (const [button, dialogName] of [
      ['Settings', 'Settings'],
      [/^Columns of/, /^Columns of/],
      ['New watchlist', 'New watchlist'],
      ['Export CSV…', 'Export CSV'],
      ['About', /about/i],
    ] as const) {
      test(`the ${String(dialogName)} dialog`, async () => {
        await page.getByRole('button', { name: button }).click();
        await page.getByRole('dialog', { name: dialogName }).waitFor();
        await expectNone(page, `${String(dialogName)} dialog`);
      });
    }

    test("the Settings dialog with a broker's fields and endpoints shown", async () => {
      await page.getByRole('button', { name: 'Settings' }).click();
      const dialog = page.getByRole('dialog', { name: 'Settings' });
      await dialog.getByLabel(/provider/i).selectOption('schwab');
      await dialog.getByText('Advanced: endpoints').click();
      await dialog.getByLabel(/api base/i).waitFor();
      await expectNone(page, 'Settings dialog, Schwab');
    });
  });
}
