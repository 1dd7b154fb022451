/**
 * `npm run bench [-- --quick] [-- --soak]`: the figures Tapedeck must reach, each measured beside
 * its comparison in the same run. Prints a table and writes bench/results.json.
 */
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { cpus, tmpdir, totalmem } from 'node:os';
import { join } from 'node:path';
import { buildCorpus } from './corpus.js';
import { exportStage } from './export-stage.js';
import { rendererStage } from './renderer-stage.js';
import { sinkStage } from './sink-stage.js';
import { printTable, type ResultRow } from './results.js';
import { decodeAll, decodeStage, endToEndStage, inOwnProcess, recorderStage, tutorialStage } from './stages.js';
import { storageStage } from './storage-stage.js';

const quick = process.argv.includes('--quick');
const soak = process.argv.includes('--soak');
/** `--export-mb N`: the size of the database the export stage copies (default 1 GB, 64 MB with --quick). */
const exportMbAt = process.argv.indexOf('--export-mb');
const exportMb = exportMbAt > 0 ? Number(process.argv[exportMbAt + 1]) : quick ? 64 : 1024;
const SEED = 42;
const updates = quick ? 200_000 : 1_000_000;
const dir = mkdtempSync(join(tmpdir(), 'tapedeck-bench-'));
const rows: ResultRow[] = [];
const log = (s: string) => process.stderr.write(`${s}\n`);

try {
  log(`corpus: ${updates.toLocaleString('en-US')} level-one updates over 2,000 symbols, seed ${SEED}`);
  const schwab = buildCorpus({ dialect: 'schwab', symbols: 2000, updates, seed: SEED });
  const td = buildCorpus({ dialect: 'tdameritrade', symbols: 2000, updates, seed: SEED });
  log('stage: decode');
  rows.push(...decodeStage(schwab, quick ? 1 : 3), ...decodeStage(td, quick ? 1 : 3));
  log('stage: recorder');
  const rec = await recorderStage(dir, schwab, decodeAll(schwab));
  rows.push(...rec.rows);
  log(`stage: export (${exportMb} MB)`);
  rows.push(...(await exportStage(dir, exportMb, log)));
  log('stage: tutorial baseline');
  rows.push(...tutorialStage(dir, schwab, quick ? 300 : 1000, rec.framesPerSec));
  log('stage: end to end');
  rows.push(...(await endToEndStage(dir, updates, SEED, quick ? 4 : 10)));
  // Real time at the demo's rate (~20 s): the same size in both modes, so the figures compare.
  log('stage: storage');
  rows.push(...(await storageStage(dir, 4_000)));
  log('stage: sink (PostgreSQL)');
  rows.push(...(await sinkStage(dir, schwab, quick ? 5 : 20, log)));
  log('stage: renderer');
  rows.push(...(await rendererStage(dir, quick ? 5 : 15)));
  if (soak) {
    log('stage: soak (10 minutes)');
    rows.push(...(await inOwnProcess<ResultRow[]>('bench/soak-process.ts', [dir, String(quick ? 60 : 600)])));
  }
} finally {
  rmSync(dir, { recursive: true, force: true });
}

printTable(rows);
const machine = `${cpus().length} × ${cpus()[0]?.model ?? 'cpu'}, ${Math.round(totalmem() / 2 ** 30)} GiB, node ${process.versions.node}`;
console.log(`\nmachine: ${machine}`);
writeFileSync(new URL('./results.json', import.meta.url), JSON.stringify(rows, null, 2) + '\n');
