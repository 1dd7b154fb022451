/** `tapedeck export`: a consistent copy of the database (or one table as CSV) while recording continues. */
import { existsSync } from 'node:fs';
import { exportCsv, exportDatabase } from '../../recorder/export.js';
import { parseFlags, requireFlag, timeFlag } from '../args.js';
import { UserError } from '../errors.js';

export const EXPORT_HELP = `usage: tapedeck export --db FILE --out FILE [--format sqlite|csv] [--table NAME]
                      [--from TIME] [--to TIME] [--key SYMBOL]

sqlite (the default, unless --out ends in .csv) writes a consistent copy of the whole database
with SQLite's backup API, safe while 'tapedeck record' keeps writing. csv writes one table
(--table, e.g. levelone_equities), optionally limited to received_at between --from and --to
(ms since the epoch or ISO date/time) and to one --key. CSV text cells that start with =, +, -,
@, tab or CR get a leading ' so spreadsheets do not run them as formulas. --out is refused when it
is a symbolic link or leads to the database (or its -wal/-shm/-journal file) in any way.`;

export async function exportCommand(argv: string[]): Promise<number> {
  const f = parseFlags('export', argv, {
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
  const db = requireFlag('export', f.db, '--db');
  const out = requireFlag('export', f.out, '--out');
  if (!existsSync(db)) throw new UserError(`export: ${db} does not exist`, 1);
  const format = f.format ?? (out.toLowerCase().endsWith('.csv') ? 'csv' : 'sqlite');
  if (format !== 'sqlite' && format !== 'csv') throw new UserError(`export: --format must be sqlite or csv, not '${format}'`);
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
      const table = requireFlag('export', f.table, '--table (which table to write as CSV)');
      const { rows } = await exportCsv(db, {
        table,
        out,
        from: timeFlag('export', f.from, '--from'),
        to: timeFlag('export', f.to, '--to'),
        key: f.key,
      });
      console.log(`exported ${rows} rows of ${table} to ${out}`);
    }
    return 0;
  } catch (err) {
    throw new UserError(`export: ${(err as Error).message}`, 1);
  }
}
