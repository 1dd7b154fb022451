/**
 * The real renderer in headless Chromium, served by `tapedeck serve` with a 5,000-symbol watchlist
 * and the simulator at 20,000 updates/s: frames per second, long tasks, update-to-paint latency.
 */
import { spawn } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { syntheticSymbol } from '../electron/node/sim/symbol-names.js';
import { launchChromium } from '../tests/helpers/chromium.js';
import { row, type ResultRow } from './results.js';
import { percentile, sortedCopy } from './stats.js';

/** The simulator's own universe names, so every row gets data. */
const universe = (n: number) => Array.from({ length: n }, (_, i) => syntheticSymbol(i, 'Z'));

const MEASURE = `(async () => {
  const longTasks = [];
  const obs = new PerformanceObserver((list) => { for (const e of list.getEntries()) longTasks.push(e.duration); });
  obs.observe({ type: 'longtask' });
  const perf = window.__tapedeckPerf;
  perf.latencies.length = 0;
  const batches0 = perf.batchesApplied;
  let frames = 0;
  const start = performance.now();
  await new Promise((resolve) => {
    const tick = () => { frames++; if (performance.now() - start < MEASURE_MS) requestAnimationFrame(tick); else resolve(); };
    requestAnimationFrame(tick);
  });
  obs.disconnect();
  const elapsed = performance.now() - start;
  const status = document.querySelector('footer[aria-label=Status]')?.textContent ?? '';
  return { fps: frames * 1000 / elapsed, longTasks, latencies: [...perf.latencies], batches: perf.batchesApplied - batches0, status };
})()`;

export async function rendererStage(dir: string, measureSeconds: number): Promise<ResultRow[]> {
  const userData = join(dir, 'renderer-user');
  mkdirSync(userData, { recursive: true });
  writeFileSync(join(userData, 'watchlists.json'), JSON.stringify({ watchlists: [{ id: 'big', name: 'Big', symbols: universe(5000) }] }));
  const serve = spawn(process.execPath, ['bin/tapedeck.js', 'serve', '--port', '0', '--user-data', userData, '--rate', '20000'], { stdio: ['ignore', 'pipe', 'inherit'] });
  const url = await new Promise<string>((resolve, reject) => {
    let out = '';
    serve.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /listening on (\S+)/.exec(out);
      if (m) resolve(m[1]!);
    });
    serve.on('exit', (code) => reject(new Error(`serve exited (${code})`)));
  });
  const browser = await launchChromium();
  try {
    const page = await browser.newPage({ viewport: { width: 1600, height: 1000 } });
    // `perf` asks the page to expose its paint counters (off for users).
    await page.goto(`${url}&perf`);
    await page.getByRole('row', { name: 'ZA', exact: true }).waitFor({ timeout: 30_000 });
    // Let the stream reach its rate before measuring.
    await page.waitForTimeout(4000);
    // Plain JS text: functions passed as code would carry tsx's __name helper into the page.
    const result = (await page.evaluate(MEASURE.replace('MEASURE_MS', String(measureSeconds * 1000)))) as {
      fps: number;
      longTasks: number[];
      latencies: number[];
      batches: number;
      status: string;
    };
    const rate = Number(/([\d,]+) upd\/s/.exec(result.status)?.[1]?.replace(/,/g, '') ?? 0);
    const sorted = sortedCopy(result.latencies);
    return [
      row('renderer', 'engine update rate during the run (5,000 rows)', rate, 'updates/s', 'target', 20_000),
      row('renderer', 'frames per second', result.fps, 'fps', 'target', 55),
      row('renderer', 'long tasks over 50 ms', result.longTasks.filter((d) => d > 50).length, 'tasks', 'target', 0),
      row('renderer', 'longest task', Math.max(0, ...result.longTasks), 'ms', 'target', 50),
      row('renderer', 'update-to-paint p50', percentile(sorted, 50), 'ms', null, null),
      row('renderer', 'update-to-paint p99', percentile(sorted, 99), 'ms', 'target', 50),
    ];
  } finally {
    await browser.close();
    serve.kill('SIGTERM');
  }
}
