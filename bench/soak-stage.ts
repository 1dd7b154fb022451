/** `--soak`: the demo engine recording at 10,000 updates/s for ten minutes; RSS and heap each minute. */
import { join } from 'node:path';
import { Engine } from '../electron/node/engine/engine.js';
import { createProvider } from '../electron/node/provider/create-provider.js';
import { Recorder } from '../electron/node/recorder/recorder.js';
import { row, type ResultRow } from './results.js';

const MB = 1024 * 1024;

export async function soakStage(dir: string, totalSeconds: number, log: (s: string) => void): Promise<ResultRow[]> {
  const provider = await createProvider({ provider: 'demo', rate: 10_000, symbols: 2000 });
  const symbols = Array.from({ length: 500 }, (_, i) => `Z${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26) % 26)}`);
  const engine = new Engine({ provider, recorder: await Recorder.openThreaded(join(dir, 'soak.db')), subscriptions: [{ service: 'LEVELONE_EQUITIES', keys: [...new Set(symbols)] }], publishQuotes: false });
  engine.start();
  const samples: { at: number; rss: number; heap: number; rate: number }[] = [];
  const interval = Math.max(5, totalSeconds / 10);
  for (let t = 0; t <= totalSeconds; t += interval) {
    if (t > 0) await new Promise((r) => setTimeout(r, interval * 1000));
    const m = process.memoryUsage();
    const s = engine.status();
    samples.push({ at: t, rss: m.rss / MB, heap: m.heapUsed / MB, rate: s.updatesPerSec });
    log(`  soak ${t}s: rss ${(m.rss / MB).toFixed(1)} MB, heap ${(m.heapUsed / MB).toFixed(1)} MB, ${Math.round(s.updatesPerSec)} upd/s, rows ${s.rows}`);
  }
  await engine.stop();
  // The first sample is taken once the stream runs; growth is measured from there to the end.
  const first = samples[1] ?? samples[0]!;
  const last = samples[samples.length - 1]!;
  const avgRate = samples.slice(1).reduce((a, s) => a + s.rate, 0) / Math.max(1, samples.length - 1);
  return [
    row('soak', 'update rate sustained', avgRate, 'updates/s', 'target', 10_000),
    row('soak', 'RSS at start', first.rss, 'MB', null, null),
    row('soak', 'RSS at end', last.rss, 'MB', null, null),
    row('soak', 'RSS growth start → end', last.rss - first.rss, 'MB', 'target', 50),
    row('soak', 'heap growth start → end', last.heap - first.heap, 'MB', null, null),
  ];
}
