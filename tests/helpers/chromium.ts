/** Debian's Chromium driven by playwright-core (never a downloaded browser); CHROMIUM_PATH overrides the path. */
import { existsSync } from 'node:fs';
import { chromium, type Browser } from 'playwright-core';

/**
 * Updates per second of the demo (or simulator) feed behind a browser test's page. Tests need
 * ticking rows, not load: without a GPU Chromium paints in software, and one page of the app at
 * 300 updates/s kept a whole core busy (60/s: about 60 %), which on two cores slowed every other
 * test file. Load is measured by `npm run bench`.
 */
export const BROWSER_FEED_RATE = 40;

export const CHROMIUM_PATH = process.env.CHROMIUM_PATH ?? '/usr/bin/chromium';

export async function launchChromium(): Promise<Browser> {
  if (!existsSync(CHROMIUM_PATH)) {
    throw new Error(`no Chromium at ${CHROMIUM_PATH}: install it (apt-get install -y chromium) or set CHROMIUM_PATH`);
  }
  return chromium.launch({
    executablePath: CHROMIUM_PATH,
    headless: true,
    args: ['--no-sandbox', '--disable-gpu', '--disable-background-networking', '--disable-component-update', '--no-first-run', '--disable-sync'],
  });
}
