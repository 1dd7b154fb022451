/**
 * The `export` stage: a consistent copy of a large database, idle and while a recorder writes
 * 10,000 updates/s into it (one level-one update per frame, committed every ~50 ms from its own
 * thread). The requirement: while recording it takes at most twice the idle time. Standalone:
 * `node --import tsx --import ./tests/helpers/tsx-workers.ts bench/export-stage.ts [MB]`.
 */
import Database from 'better-sqlite3';
import { mkdtempSync, rmSync, statSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { exportDatabase } from '../electron/node/recorder/export.js';
import { Recorder } from '../electron/node/recorder/recorder.js';
import { QuoteState } from '../electron/node/state/quote-state.js';
import { row, type ResultRow } from './results.js';

const UPDATES_PER_SEC = 10_000;

/** A Tapedeck database of about `mb` MB: the schema from a recorder, the bulk as archived frames. */
function buildDatabase(path: string, mb: number): void {
  Recorder.open(path).close();
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  const insert = db.prepare(
    `WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < ?)
     INSERT INTO frames (received_at, text, flags) SELECT i, hex(randomblob(2000)), 0 FROM n`,
  );
  // 64 MB per transaction: the WAL stays small while the file grows.
  for (let left = mb; left > 0; left -= 64) insert.run(Math.min(64, left) * 250);
  db.pragma('wal_checkpoint(TRUNCATE)');
  db.close();
}

/** Feeds the recorder at a steady UPDATES_PER_SEC until stopped. */
function feed(r: Recorder): () => number {
  const connectionId = 1;
  r.beginConnection({ connectionId, provider: 'bench', dialect: 'schwab', url: 'bench' });
  const state = new QuoteState('schwab');
  const start = Date.now();
  let sent = 0;
  const timer = setInterval(() => {
    const due = Math.floor(((Date.now() - start) * UPDATES_PER_SEC) / 1000);
    for (; sent < due; sent++) {
      const receivedAt = Date.now();
      const u = { service: 'LEVELONE_EQUITIES', key: `S${sent % 2000}`, ts: receivedAt, fields: { last_price: sent, bid_price: sent - 1 }, meta: {} };
      r.record({ connectionId, receivedAt, text: `{"n":${sent}}`, updates: [u], merged: [state.apply(u, receivedAt)] });
    }
  }, 5);
  return () => {
    clearInterval(timer);
    return sent;
  };
}

async function timedExport(src: string, dest: string): Promise<number> {
  const start = process.hrtime.bigint();
  await exportDatabase(src, dest);
  const secs = Number(process.hrtime.bigint() - start) / 1e9;
  rmSync(dest, { force: true });
  return secs;
}

export async function exportStage(dir: string, mb: number, log: (s: string) => void = () => undefined): Promise<ResultRow[]> {
  const path = join(dir, 'export-src.db');
  const buildStart = Date.now();
  buildDatabase(path, mb);
  const size = statSync(path).size;
  log(`  export: built ${(size / 2 ** 20).toFixed(0)} MB in ${((Date.now() - buildStart) / 1000).toFixed(1)} s`);
  const idle = await timedExport(path, join(dir, 'export-idle.db'));
  log(`  export: idle ${idle.toFixed(2)} s`);
  const r = await Recorder.openThreaded(path);
  const stop = feed(r);
  // Recording in full swing before the copy starts.
  await new Promise((res) => setTimeout(res, 1000));
  const busy = await timedExport(path, join(dir, 'export-busy.db'));
  const sent = stop();
  await r.close();
  log(`  export: while recording ${busy.toFixed(2)} s (${sent.toLocaleString('en-US')} updates recorded meanwhile)`);
  const label = `${(size / 2 ** 20).toFixed(0)} MB`;
  return [
    row('export', `copy of ${label}, idle`, idle, 's'),
    row('export', `copy of ${label} while recording ${UPDATES_PER_SEC.toLocaleString('en-US')} updates/s`, busy, 's', 'idle', idle),
  ];
}

if (import.meta.url === `file://${process.argv[1]}`) {
  const dir = mkdtempSync(join(tmpdir(), 'tapedeck-bench-export-'));
  try {
    const rows = await exportStage(dir, Number(process.argv[2] ?? 256), (s) => process.stderr.write(`${s}\n`));
    console.log(JSON.stringify(rows, null, 2));
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}
