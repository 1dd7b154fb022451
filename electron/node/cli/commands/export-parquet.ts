/** `tapedeck export --format parquet`: one table into a file, or every table with rows into a folder. */
import { statSync } from 'node:fs';
import { ExportExistsError, exportParquetFolder, exportParquetTable } from '../../recorder/parquet-export.js';
import { UsageError, UserError } from '../errors.js';
import { requireDatabaseFile, requireWritableFile } from '../paths.js';

export interface ParquetRequest {
  db: string;
  out: string;
  table?: string;
  from?: number;
  to?: number;
  key?: string;
  force?: boolean;
}

export async function exportParquetCommand(req: ParquetRequest): Promise<number> {
  const intoFolder = req.table === undefined;
  if (intoFolder && req.out.toLowerCase().endsWith('.parquet')) {
    throw new UsageError(`--table is required to write one table into ${req.out} (or give --out a folder to write every table)`);
  }
  requireDatabaseFile(req.db);
  if (intoFolder) {
    if (isFile(req.out)) throw new UserError(`${req.out} is a file; without --table every table is written into a folder, so --out must name one`);
  } else requireWritableFile(req.out, 'Parquet file');
  // Ctrl-C stops between row groups and removes what was written, instead of leaving a partial file.
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  const filter = { from: req.from, to: req.to, key: req.key, force: req.force, signal: abort.signal };
  try {
    if (intoFolder) {
      const { written, skipped } = await exportParquetFolder(req.db, { ...filter, dir: req.out });
      for (const s of skipped) process.stderr.write(`skipped ${s.table}: ${s.reason}\n`);
      for (const w of written) console.log(`${w.file}: ${rowCount(w.rows)}`);
      const rows = written.reduce((n, w) => n + w.rows, 0);
      console.log(`exported ${written.length} tables (${rowCount(rows)}) of ${req.db} to ${req.out}`);
    } else {
      const w = await exportParquetTable(req.db, { ...filter, table: req.table!, out: req.out });
      console.log(`exported ${rowCount(w.rows)} of ${w.table} to ${w.file}`);
    }
    return 0;
  } catch (err) {
    if (err instanceof ExportExistsError) {
      const shown = err.paths.length > 3 ? `${err.paths.slice(0, 3).join(', ')} and ${err.paths.length - 3} more` : err.paths.join(', ');
      throw new UserError(`${shown} already exist${err.paths.length === 1 ? 's' : ''}; nothing was written (--force replaces ${err.paths.length === 1 ? 'it' : 'them'})`);
    }
    throw new UserError((err as Error).message);
  } finally {
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}

const rowCount = (n: number) => `${n} row${n === 1 ? '' : 's'}`;

function isFile(path: string): boolean {
  try {
    return !statSync(path).isDirectory();
  } catch {
    return false;
  }
}
