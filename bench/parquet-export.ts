/**
 * Parquet writers compared on the same rows: hyparquet-writer (what `tapedeck export --format
 * parquet` uses) against DuckDB (@duckdb/node-api: rows appended from JS, then COPY … TO parquet).
 * The database is made the way a recording is: the benchmark corpus's level-one frames, decoded and
 * written by the Recorder. Each writer runs in a process of its own so its peak RSS is its own.
 *
 *   node --import tsx bench/parquet-export.ts [--updates N] [--keep DIR] [--writers LIST]
 *
 * LIST (comma-separated): sqlite-read-only, hyparquet-writer-<N>k (row groups of N thousand rows),
 * duckdb-snappy, duckdb-zstd. --keep DIR keeps (and reuses) the recorded database there.
 *
 * Scratch figures for bench/RESULTS.md ("Parquet export"); not part of `npm run bench`.
 */
import Database from 'better-sqlite3';
import { spawnSync } from 'node:child_process';
import { existsSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { parseArgs } from 'node:util';
import { decodeFrame } from '../electron/node/codec/decode-frame.js';
import { exportParquetTable } from '../electron/node/recorder/parquet-export.js';
import { EPOCH_MS_COLUMNS, affinityOf } from '../electron/node/recorder/parquet-columns.js';
import { Recorder } from '../electron/node/recorder/recorder.js';
import { selectTable } from '../electron/node/recorder/table-select.js';
import { QuoteState } from '../electron/node/state/quote-state.js';
import { buildCorpus } from './corpus.js';

const TABLE = 'levelone_equities';
interface Figures {
  writer: string;
  seconds: number;
  /** user + system CPU time: steadier than wall time on a shared machine */
  cpuSeconds: number;
  peakRssMb: number;
  fileMb: number;
}

async function child(writer: string, db: string, out: string): Promise<void> {
  const start = process.hrtime.bigint();
  const groupRows = /^hyparquet-writer-(\d+)k$/.exec(writer);
  if (groupRows) await exportParquetTable(db, { table: TABLE, out, rowGroupRows: Number(groupRows[1]) * 1000 });
  else if (writer === 'sqlite-read-only') readOnly(db, out);
  else if (writer === 'duckdb-snappy' || writer === 'duckdb-zstd') await duckdb(db, out, writer === 'duckdb-zstd' ? 'ZSTD' : 'SNAPPY');
  else throw new Error(`unknown writer ${writer}`);
  const seconds = Number(process.hrtime.bigint() - start) / 1e9;
  const cpu = process.cpuUsage();
  const figures: Figures = { writer, seconds, cpuSeconds: (cpu.user + cpu.system) / 1e6, peakRssMb: process.resourceUsage().maxRSS / 1024, fileMb: statSync(out).size / 2 ** 20 };
  process.stdout.write(JSON.stringify(figures));
}

/** The same rows and types through DuckDB: its appender from JS values, then its own Parquet writer. */
async function duckdb(dbPath: string, out: string, codec: 'SNAPPY' | 'ZSTD'): Promise<void> {
  const { DuckDBInstance } = await import('@duckdb/node-api');
  const sqlite = new Database(dbPath, { readonly: true });
  const select = selectTable(sqlite, TABLE, {});
  const kinds = select.columns.map((c) => affinityOf(c.declaredType));
  const duckType = { INTEGER: 'BIGINT', REAL: 'DOUBLE', NUMERIC: 'DOUBLE', TEXT: 'VARCHAR', BLOB: 'BLOB' } as const;
  const conn = await (await DuckDBInstance.create(':memory:')).connect();
  await conn.run(`CREATE TABLE t (${select.columns.map((c, i) => `"${c.name}" ${duckType[kinds[i]!]}`).join(', ')})`);
  const app = await conn.createAppender('t');
  for (const row of sqlite.prepare(select.sql).raw(true).safeIntegers(true).iterate() as Iterable<(null | bigint | number | string | Buffer)[]>) {
    for (let i = 0; i < row.length; i++) {
      const v = row[i];
      if (v === null || v === undefined) app.appendNull();
      else if (typeof v === 'bigint') kinds[i] === 'INTEGER' ? app.appendBigInt(v) : app.appendDouble(Number(v));
      else if (typeof v === 'number') app.appendDouble(v);
      else if (typeof v === 'string') app.appendVarchar(v);
      else app.appendBlob(v);
    }
    app.endRow();
  }
  app.closeSync();
  sqlite.close();
  const cols = select.columns.map((c) => (EPOCH_MS_COLUMNS.has(c.name) ? `epoch_ms("${c.name}")::TIMESTAMPTZ AS "${c.name}"` : `"${c.name}"`));
  const copyStart = process.hrtime.bigint();
  await conn.run(`COPY (SELECT ${cols.join(', ')} FROM t) TO '${out}' (FORMAT parquet, COMPRESSION ${codec})`);
  process.stderr.write(`  (${codec} COPY … TO parquet alone: ${(Number(process.hrtime.bigint() - copyStart) / 1e9).toFixed(1)} s)\n`);
}

/** The floor under every writer: the same rows read from SQLite and dropped. */
function readOnly(dbPath: string, out: string): void {
  const sqlite = new Database(dbPath, { readonly: true });
  const select = selectTable(sqlite, TABLE, {});
  let n = 0;
  for (const row of sqlite.prepare(select.sql).raw(true).safeIntegers(true).iterate() as Iterable<unknown[]>) n += row.length;
  sqlite.close();
  writeFileSync(out, String(n));
}

function makeDatabase(path: string, updates: number): void {
  const corpus = buildCorpus({ dialect: 'schwab', symbols: 2000, updates, seed: 42 });
  const rec = Recorder.open(path);
  rec.beginConnection({ connectionId: 1, provider: 'bench', dialect: 'schwab', url: 'bench' });
  const state = new QuoteState('schwab');
  let receivedAt = Date.UTC(2026, 10, 24, 14, 30);
  for (const text of corpus.frames) {
    const updates = decodeFrame(text, 'schwab').updates;
    receivedAt += 3;
    rec.record({ connectionId: 1, receivedAt, text, updates, merged: updates.map((u) => state.apply(u, receivedAt)) });
  }
  rec.close();
}

const { values: flags, positionals } = parseArgs({
  options: { child: { type: 'boolean' }, updates: { type: 'string' }, keep: { type: 'string' }, writers: { type: 'string' } },
  allowPositionals: true,
});
if (flags.child) {
  await child(positionals[0]!, positionals[1]!, positionals[2]!);
} else {
  const updates = Number(flags.updates ?? 1_000_000);
  const keep = flags.keep ?? null;
  const dir = keep ?? mkdtempSync(join(tmpdir(), 'tapedeck-parquet-bench-'));
  const db = join(dir, 'ticks.db');
  try {
    if (!existsSync(db)) {
      process.stderr.write(`recording ${updates.toLocaleString('en-US')} updates into ${db}…\n`);
      makeDatabase(db, updates);
    }
    const counter = new Database(db, { readonly: true });
    const rows = (counter.prepare(`SELECT count(*) FROM ${TABLE}`).pluck().get() as number).toLocaleString('en-US');
    counter.close();
    process.stderr.write(`${TABLE}: ${rows} rows, database ${(statSync(db).size / 2 ** 20).toFixed(0)} MB\n`);
    const writers = flags.writers ? flags.writers.split(',') : ['sqlite-read-only', 'hyparquet-writer-100k', 'hyparquet-writer-50k', 'hyparquet-writer-25k', 'duckdb-snappy', 'duckdb-zstd'];
    for (const writer of writers) {
      const out = join(dir, `${writer}.parquet`);
      rmSync(out, { force: true });
      const r = spawnSync(process.execPath, ['--import', 'tsx', 'bench/parquet-export.ts', '--child', writer, db, out], { encoding: 'utf8', stdio: ['ignore', 'pipe', 'inherit'] });
      if (r.status !== 0) throw new Error(`${writer} failed (exit ${r.status})`);
      const f = JSON.parse(r.stdout) as Figures;
      console.log(`${writer.padEnd(18)} ${f.seconds.toFixed(1).padStart(6)} s wall ${f.cpuSeconds.toFixed(1).padStart(6)} s CPU  peak RSS ${f.peakRssMb.toFixed(0).padStart(5)} MB  file ${f.fileMb.toFixed(1).padStart(6)} MB`);
    }
  } finally {
    if (!keep) rmSync(dir, { recursive: true, force: true });
  }
}
