/**
 * The shipper's own ceiling, without a recorder beside it: the level-one corpus recorded once into
 * a file (unpaced), then shipped whole into a fresh PostgreSQL database as `tapedeck ship` does
 * (Shipper.drain), rows/s over every table. Beside it, in the same run: how long reading those rows
 * from SQLite and encoding them takes, in CPU time per row, the shipper's way and the way it had
 * before, so a profile's split between reading, encoding and the server can be checked.
 *
 * Standalone: `node --import tsx --import ./tests/helpers/tsx-workers.ts bench/ship-stage.ts [--quick]`.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { decodeFrame } from '../electron/node/codec/decode-frame.js';
import { Recorder } from '../electron/node/recorder/recorder.js';
import { parsePgUrl } from '../electron/node/sink/pg-url.js';
import { Shipper } from '../electron/node/sink/shipper.js';
import { SqliteSource } from '../electron/node/sink/sqlite-source.js';
import { encodeTuples } from '../electron/node/sink/copy-encoder.js';
import { encodeJsonRows } from '../electron/node/sink/json-tuples.js';
import { QuoteState } from '../electron/node/state/quote-state.js';
import { buildCorpus, type Corpus } from './corpus.js';
import { withBenchDatabase } from './postgres-server.js';
import { printTable, row, type ResultRow } from './results.js';

export async function shipStage(dir: string, corpus: Corpus, updates: number, log: (s: string) => void): Promise<ResultRow[]> {
  return withBenchDatabase('tapedeck_bench_ship', 'ship', log, async (url) => {
    const path = await recordOnce(join(dir, 'ship.db'), corpus, updates);
    const read = readAndEncode(path);
    const shipper = Shipper.open(path, parsePgUrl(url));
    const t0 = performance.now();
    await shipper.drain();
    const secs = (performance.now() - t0) / 1_000;
    await shipper.close();
    const rows = [...shipper.shippedRows.values()].reduce((a, b) => a + b, 0);
    const levelOne = shipper.shippedRows.get('levelone_equities') ?? 0;
    return [
      row('sink', `rows/s shipped from a finished file into a fresh database (${rows.toLocaleString('en-US')} rows, ${levelOne.toLocaleString('en-US')} level-one)`, rows / secs, 'rows/s'),
      row('sink', `CPU to read and encode a level-one row (${read.rows.toLocaleString('en-US')} rows): JSON text to tuples`, read.now, 'µs', 'values, then encoded', read.before),
    ];
  });
}

/** The corpus fed to a threaded recorder as fast as it takes it, cycling until `updates` are in. */
export async function recordOnce(path: string, corpus: Corpus, updates: number): Promise<string> {
  const decoded = corpus.frames.map((f) => decodeFrame(f, corpus.dialect).updates);
  const recorder = await Recorder.openThreaded(path);
  recorder.beginConnection({ connectionId: 1, provider: 'bench', dialect: corpus.dialect, url: 'bench' });
  const state = new QuoteState(corpus.dialect);
  let fed = 0;
  for (let frame = 0; fed < updates; frame++) {
    const i = frame % corpus.frames.length;
    const u = decoded[i]!;
    const receivedAt = Date.now();
    recorder.record({ connectionId: 1, receivedAt, text: corpus.frames[i]!, updates: u, merged: u.map((x) => state.apply(x, receivedAt)) });
    fed += u.length;
    // Lets the writer's answers in, so batches stay the size the recorder makes when live.
    if (frame % 64 === 0) await new Promise((r) => setImmediate(r));
  }
  recorder.endConnection(1, 'bench over');
  await recorder.close();
  return path;
}

/**
 * CPU time per level-one row to read and encode it as the shipper does (SQLite's JSON text of a run
 * of rows turned into tuples), and as it did before (each row's values handed over, then encoded).
 */
function readAndEncode(path: string): { rows: number; now: number; before: number } {
  const source = SqliteSource.open(path);
  try {
    const table = source.tables().ship.find((t) => t.name === 'levelone_equities')!;
    const types = table.columns.map((c) => c.type);
    const timeAt = table.columns.findIndex((c) => c.name === table.timeColumn);
    const perRow = (step: (after: number) => { rows: number; lastId: number } | null) => {
      let rows = 0;
      const c0 = process.cpuUsage();
      for (let after = 0; ; ) {
        const r = step(after);
        if (!r) break;
        rows += r.rows;
        after = r.lastId;
      }
      const c = process.cpuUsage(c0);
      return { rows, us: (c.user + c.system) / rows };
    };
    const now = perRow((after) => {
      const text = source.jsonRows(table, after, 2_000);
      return text && encodeJsonRows(types, text, 'bench', timeAt);
    });
    const before = perRow((after) => {
      const rows = source.read(table, after, 2_000);
      if (rows.length === 0) return null;
      encodeTuples(types, rows, 'bench');
      return { rows: rows.length, lastId: rows[rows.length - 1]![0] as number };
    });
    return { rows: now.rows, now: now.us, before: before.us };
  } finally {
    source.close();
  }
}

if (process.argv[1]?.endsWith('ship-stage.ts')) {
  const quick = process.argv.includes('--quick');
  const dir = mkdtempSync(join(tmpdir(), 'tapedeck-bench-ship-'));
  try {
    const corpus = buildCorpus({ dialect: 'schwab', symbols: 2000, updates: 200_000, seed: 42 });
    const rows = await shipStage(dir, corpus, quick ? 200_000 : 1_000_000, (s) => process.stderr.write(`${s}\n`));
    printTable(rows);
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
