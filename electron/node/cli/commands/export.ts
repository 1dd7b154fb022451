/** `tapedeck export`: a consistent copy of the database (or one table as CSV) while recording continues. */
import { existsSync } from 'node:fs';
import { exportCsv, exportDatabase, ExportInterrupted } from '../../recorder/export.js';
import { exportParquetCommand } from './export-parquet.js';
import { checkExportTarget } from '../../recorder/export-target.js';
import { parseFlags, requireFlag, TIME_HELP, timeFlag } from '../args.js';
import { UsageError, UserError } from '../errors.js';
import { requireDatabaseFile, requireWritableFile } from '../paths.js';

export const EXPORT_HELP = `usage: tapedeck export --db FILE --out FILE|DIR [--format sqlite|csv|parquet] [--table NAME]
                      [--from TIME] [--to TIME] [--key SYMBOL] [--force]

sqlite (the default, unless --out ends in .csv or .parquet) writes a consistent copy of the whole database
with SQLite's backup API, safe while 'tapedeck record' keeps writing: the copy is the database
as it was when the export started. It is written into FILE.partial and renamed when complete;
an interrupted export (Ctrl-C, SIGTERM) removes FILE.partial, and one killed outright leaves
FILE.partial for the next export to FILE to remove. An existing --out is refused unless --force. csv writes one table
(--table, e.g. levelone_equities), optionally limited to received_at between --from and --to
and to one --key. CSV text cells that start with =, +, -,
@, tab or CR get a leading ' so spreadsheets do not run them as formulas. --out is refused when it
is a symbolic link or leads to the database (or its -wal/-shm/-journal file) in any way.

parquet (the default when --out ends in .parquet) writes --table into one file with typed columns
(INTEGER as int64, the ms times received_at, ts, started_at, ended_at, updated_at as UTC timestamps,
REAL as double, TEXT as string, BLOB as bytes; Snappy), or without --table every table that has
rows into the folder --out (created if missing) as NAME.parquet, all from one snapshot; --from,
--to and --key filter as for csv. Existing files are refused unless --force.

${TIME_HELP}`;

export async function exportCommand(argv: string[]): Promise<number> {
  const f = parseFlags(argv, {
    db: { type: 'string' },
    out: { type: 'string' },
    format: { type: 'string' },
    table: { type: 'string' },
    from: { type: 'string' },
    to: { type: 'string' },
    key: { type: 'string' },
    force: { type: 'boolean', default: false },
  });
  if (f.help) {
    console.log(EXPORT_HELP);
    return 0;
  }
  const db = requireFlag(f.db, '--db');
  const out = requireFlag(f.out, '--out');
  const format = f.format ?? (out.toLowerCase().endsWith('.csv') ? 'csv' : out.toLowerCase().endsWith('.parquet') ? 'parquet' : 'sqlite');
  if (format !== 'sqlite' && format !== 'csv' && format !== 'parquet') throw new UsageError(`--format must be sqlite, csv or parquet, not '${format}'`);
  const table = format === 'csv' ? requireFlag(f.table, '--table', 'which table to write as CSV') : undefined;
  const from = timeFlag(f.from, '--from');
  const to = timeFlag(f.to, '--to');
  if (format === 'parquet') return exportParquetCommand({ db, out, table: f.table, from, to, key: f.key, force: f.force });
  requireDatabaseFile(db);
  requireWritableFile(out, 'file to export into');
  const force = f.force ?? false;
  // A link or another name for the database is refused as such, before "already exists" could hide it.
  try {
    checkExportTarget(db, out);
  } catch (err) {
    throw new UserError((err as Error).message);
  }
  if (!force && existsSync(out)) throw new UserError(`${out} already exists: choose another --out, or add --force to replace it`);
  try {
    if (format === 'sqlite') {
      const tty = process.stderr.isTTY;
      const interrupt = new AbortController();
      const stop = () => interrupt.abort();
      process.once('SIGINT', stop);
      process.once('SIGTERM', stop);
      try {
        await exportDatabase(db, out, {
          overwrite: force,
          signal: interrupt.signal,
          onProgress: (p) => {
            if (tty && p.totalPages > 0) {
              const pct = Math.round((100 * (p.totalPages - p.remainingPages)) / p.totalPages);
              process.stderr.write(`\r\x1b[Kexporting… ${pct}%`);
            }
          },
        });
      } finally {
        process.off('SIGINT', stop);
        process.off('SIGTERM', stop);
        if (tty) process.stderr.write('\r\x1b[K');
      }
      console.log(`exported ${db} to ${out}`);
    } else {
      const { rows } = await exportCsv(db, { table: table!, out, from, to, key: f.key });
      console.log(`exported ${rows} rows of ${table} to ${out}`);
    }
    return 0;
  } catch (err) {
    if (err instanceof ExportInterrupted) throw new UserError(`interrupted; nothing was written to ${out}`);
    throw new UserError((err as Error).message);
  }
}
