/**
 * The PostgreSQL sink beside the recorder: the recorder fed a level-one corpus paced at a target
 * rate (200,000 updates/s) on its writer thread, the sink shipping from its own thread into a real
 * PostgreSQL (fsync on), and measured: rows shipped per second while fed, the lag from a row's
 * arrival to its COPY's commit (p50/p99/max; each batch counts with its oldest row, the first
 * second left out as warm-up), and how long the sink needed after the feed stopped to catch up.
 * Compared in the same run with the server's own ceiling: the same rows, encoded beforehand,
 * COPYed back to back into a plain table.
 *
 * Standalone: `node --import tsx --import ./tests/helpers/tsx-workers.ts bench/sink-stage.ts [--quick]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { decodeFrame } from '../electron/node/codec/decode-frame.js';
import { Recorder } from '../electron/node/recorder/recorder.js';
import { encodeCopy } from '../electron/node/sink/copy-encoder.js';
import { parsePgUrl } from '../electron/node/sink/pg-url.js';
import { SqliteSource } from '../electron/node/sink/sqlite-source.js';
import { SinkThread } from '../electron/node/sink/sink-thread.js';
import { QuoteState } from '../electron/node/state/quote-state.js';
import { buildCorpus, type Corpus } from './corpus.js';
import { withBenchDatabase } from './postgres-server.js';
import { printTable, row, type ResultRow } from './results.js';
import { percentile, sortedCopy } from './stats.js';

export const SINK_TARGET_RATE = 200_000;
const TICK_MS = 5;

export async function sinkStage(dir: string, corpus: Corpus, feedSeconds: number, log: (s: string) => void): Promise<ResultRow[]> {
  return withBenchDatabase('tapedeck_bench', 'sink', log, (url) => measure(dir, corpus, feedSeconds, url));
}

async function measure(dir: string, corpus: Corpus, feedSeconds: number, url: string): Promise<ResultRow[]> {
  const path = join(dir, 'sink.db');
  const decoded = corpus.frames.map((f) => decodeFrame(f, corpus.dialect).updates);
  const recorder = await Recorder.openThreaded(path);
  const lags: number[] = [];
  let shippedRows = 0;
  let lastShipAt = 0;
  let warmUntil = 0;
  const sink = await SinkThread.start(path, parsePgUrl(url), {
    onShipped: (s) => {
      shippedRows += s.rows;
      lastShipAt = s.committedAt;
      if (s.oldestTime !== null && s.oldestTime >= warmUntil) lags.push(s.committedAt - s.oldestTime);
    },
    onNotice: (n) => process.stderr.write(`  sink: ${JSON.stringify(n)}\n`),
  });

  const connectionId = 1;
  recorder.beginConnection({ connectionId, provider: 'bench', dialect: corpus.dialect, url: 'bench' });
  const state = new QuoteState(corpus.dialect);
  const start = Date.now();
  warmUntil = start + 1_000;
  let fed = 0;
  let frame = 0;
  // Paced: every tick, as many frames as bring the updates fed up to the target rate so far.
  while (Date.now() - start < feedSeconds * 1_000) {
    const due = ((Date.now() - start) / 1_000) * SINK_TARGET_RATE;
    while (fed < due) {
      const i = frame++ % corpus.frames.length;
      const updates = decoded[i]!;
      const receivedAt = Date.now();
      recorder.record({ connectionId, receivedAt, text: corpus.frames[i]!, updates, merged: updates.map((u) => state.apply(u, receivedAt)) });
      fed += updates.length;
    }
    await new Promise((r) => setTimeout(r, TICK_MS));
  }
  const fedSecs = (Date.now() - start) / 1_000;
  const shippedWhileFed = shippedRows;
  recorder.endConnection(connectionId, 'bench over');
  await recorder.close();
  const closedAt = Date.now();
  const totals = await sink.stop(120_000);
  const behind = totals.behind.reduce((n, [, k]) => n + k, 0);
  const catchUpSecs = Math.max(0, lastShipAt - closedAt) / 1_000;
  const sorted = sortedCopy(lags);

  const ceiling = await copyCeiling(path, url);
  const shippedPerSec = shippedWhileFed / fedSecs;
  return [
    row('sink', `rows shipped/s while the recorder is fed ${SINK_TARGET_RATE.toLocaleString('en-US')} updates/s (${(fed / fedSecs).toFixed(0)} reached)`, shippedPerSec, 'rows/s', 'copy-ceiling', ceiling),
    row('sink', 'arrival → committed in PostgreSQL, p50', percentile(sorted, 50), 'ms'),
    row('sink', 'arrival → committed in PostgreSQL, p99 (target ≤ 2,000)', percentile(sorted, 99), 'ms'),
    row('sink', 'arrival → committed in PostgreSQL, max', sorted.length > 0 ? sorted[sorted.length - 1]! : 0, 'ms'),
    row('sink', 'catch-up after the feed stopped', catchUpSecs, 's'),
    row('sink', 'rows left unshipped at the end (must be 0)', behind, 'rows'),
  ];
}

/** The server's ceiling for these rows: the level-one table encoded beforehand, COPYed in 20,000-row transactions into a plain table. */
async function copyCeiling(path: string, url: string): Promise<number> {
  const source = SqliteSource.open(path);
  const table = source.tables().ship.find((t) => t.name === 'levelone_equities')!;
  const batches: Buffer[] = [];
  let rows = 0;
  for (let after = 0; ; ) {
    const chunk = source.read(table, after, 20_000);
    if (chunk.length === 0) break;
    after = chunk[chunk.length - 1]![0] as number;
    rows += chunk.length;
    batches.push(encodeCopy(table.columns.map((c) => c.type), chunk, 'ceiling').data);
  }
  source.close();
  const c = new pg.Client({ connectionString: url });
  await c.connect();
  try {
    await c.query('CREATE TABLE ceiling (LIKE levelone_equities)');
    const cols = ['recorder_id', ...table.columns.map((col) => col.name)].map((n) => `"${n}"`).join(', ');
    const t0 = Date.now();
    for (const data of batches) {
      await c.query('BEGIN');
      await new Promise<void>((resolve, reject) => {
        const stream = c.query(copyFrom(`COPY ceiling (${cols}) FROM STDIN (FORMAT binary)`));
        stream.on('error', reject);
        stream.on('finish', () => resolve());
        stream.end(data);
      });
      await c.query('COMMIT');
    }
    return rows / ((Date.now() - t0) / 1_000);
  } finally {
    await c.end();
  }
}

if (process.argv[1]?.endsWith('sink-stage.ts')) {
  const quick = process.argv.includes('--quick');
  const dir = mkdtempSync(join(tmpdir(), 'tapedeck-bench-sink-'));
  try {
    const corpus = buildCorpus({ dialect: 'schwab', symbols: 2000, updates: 200_000, seed: 42 });
    const rows = await sinkStage(dir, corpus, quick ? 5 : 20, (s) => process.stderr.write(`${s}\n`));
    printTable(rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
