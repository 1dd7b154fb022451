/**
 * Makes docs/screenshot-main.png: the app served on demo data, in Debian's Chromium at 1400×900, with
 * AAPL selected once its book, movers and chart history are shown. `npx tsx scripts/screenshot.ts`
 * after `npm run build`; CHROMIUM_PATH overrides the browser.
 */
import { join } from 'node:path';
import { launchChromium } from '../tests/helpers/chromium.js';
import { startCli } from '../tests/helpers/cli.js';
import { tempDir } from '../tests/helpers/tmp.js';
import { waitFor } from '../tests/helpers/wait.js';

const tmp = tempDir('screenshot');
const serve = startCli(['serve', '--port', '0', '--user-data', join(tmp.dir, 'user'), '--rate', '300']);
try {
  const url = await waitFor('serve URL', () => /listening on (\S+)/.exec(serve.stdout())?.[1], 30_000);
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1400, height: 900 } });
    await page.goto(url);
    await page.getByRole('row', { name: 'AAPL', exact: true }).click();
    await page.locator('.book-row:not(.head)').first().waitFor({ timeout: 30_000 });
    await page.waitForFunction(() => Number(document.querySelector('.chart-panel')?.getAttribute('data-history-bars')) > 10, null, { timeout: 30_000 });
    await page.locator('.movers .mover').first().waitFor({ timeout: 60_000 });
    // Let a few ticks flash and the tape fill.
    await page.waitForFunction(() => document.querySelectorAll('.tape tr, .time-sales tr').length > 5, null, { timeout: 30_000 }).catch(() => undefined);
    await page.screenshot({ path: 'docs/screenshot-main.png' });
    console.log('wrote docs/screenshot-main.png');
  } finally {
    await browser.close();
  }
} finally {
  serve.child.kill('SIGTERM');
  await serve.exit;
  tmp.cleanup();
}
