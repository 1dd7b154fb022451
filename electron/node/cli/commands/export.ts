/** `tapedeck export`: a consistent copy of the database (or one table as CSV) while recording continues. */
import { exportCsv, exportDatabase } from '../../recorder/export.js';
import { parseFlags, requireFlag, TIME_HELP, timeFlag } from '../args.js';
import { UsageError, UserError } from '../errors.js';
import { requireDatabaseFile, requireWritableFile } from '../paths.js';

export const EXPORT_HELP = `usage: tapedeck export --db FILE --out FILE [--format sqlite|csv] [--table NAME]
                      [--from TIME] [--to TIME] [--key SYMBOL]

sqlite (the default, unless --out ends in .csv) writes a consistent copy of the whole database
with SQLite's backup API, safe while 'tapedeck record' keeps writing. csv writes one table
(--table, e.g. levelone_equities), optionally limited to received_at between --from and --to
and to one --key. CSV text cells that start with =, +, -,
@, tab or CR get a leading ' so spreadsheets do not run them as formulas. --out is refused when it
is a symbolic link or leads to the database (or its -wal/-shm/-journal file) in any way.
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
  });
  if (f.help) {
    console.log(EXPORT_HELP);
    return 0;
  }
  const db = requireFlag(f.db, '--db');
  const out = requireFlag(f.out, '--out');
  const format = f.format ?? (out.toLowerCase().endsWith('.csv') ? 'csv' : 'sqlite');
  if (format !== 'sqlite' && format !== 'csv') throw new UsageError(`--format must be sqlite or csv, not '${format}'`);
  const table = format === 'csv' ? requireFlag(f.table, '--table', 'which table to write as CSV') : undefined;
  const from = timeFlag(f.from, '--from');
  const to = timeFlag(f.to, '--to');
  requireDatabaseFile(db);
  requireWritableFile(out, 'file to export into');
  try {
    if (format === 'sqlite') {
      const tty = process.stderr.isTTY;
      await exportDatabase(db, out, (p) => {
        if (tty && p.totalPages > 0) {
          const pct = Math.round((100 * (p.totalPages - p.remainingPages)) / p.totalPages);
          process.stderr.write(`\r\x1b[Kexporting… ${pct}%`);
        }
      });
      if (tty) process.stderr.write('\r\x1b[K');
      console.log(`exported ${db} to ${out}`);
    } else {
      const { rows } = await exportCsv(db, { table: table!, out, from, to, key: f.key });
      console.log(`exported ${rows} rows of ${table} to ${out}`);
    }
    return 0;
  } catch (err) {
    throw new UserError((err as Error).message);
  }
}
