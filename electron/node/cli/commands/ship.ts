/** `tapedeck ship`: backfills a recorded SQLite file into PostgreSQL (what `record --sink` does live), then exits. */
import { parseFlags, requireFlag } from '../args.js';
import { UserError } from '../errors.js';
import { requireDatabaseFile } from '../paths.js';
import { formatTableCounts, pgUrlFlag } from '../pg-url-flag.js';
import { noticeLine } from '../record-sink.js';
import { describePgError, Shipper } from '../../sink/shipper.js';

export const SHIP_HELP = `usage: tapedeck ship --db FILE --to postgres://USER@HOST:PORT/DB

Ships every row of the SQLite file FILE that is not in PostgreSQL yet, with binary COPY, then
prints the rows shipped per table and exits. Safe while 'tapedeck record' writes the file and
safe to repeat: a high-water mark per file and table, kept in PostgreSQL (tapedeck_ship_hwm) and
moved in the same transaction as each COPY, means a second run ships only newer rows (none if
nothing was recorded since) and an interrupted run resumes where it stopped. postgresql:// URLs
work too; the password comes from the URL or PGPASSWORD and is never printed.
See README.md "PostgreSQL" for the tables and how to query them.`;

export async function shipCommand(argv: string[]): Promise<number> {
  const f = parseFlags(argv, { db: { type: 'string' }, to: { type: 'string' } });
  if (f.help) {
    console.log(SHIP_HELP);
    return 0;
  }
  const db = requireFlag(f.db, '--db');
  const target = pgUrlFlag(requireFlag(f.to, '--to'), '--to');
  requireDatabaseFile(db);
  let shipper: Shipper;
  try {
    shipper = Shipper.open(db, target, { onNotice: (n) => process.stderr.write(`${noticeLine(n, target)}\n`) });
  } catch (err) {
    throw new UserError(`cannot read ${db}: ${(err as Error).message}`);
  }
  try {
    await shipper.drain();
  } catch (err) {
    const done = formatTableCounts(shipper.shippedRows);
    throw new UserError(`${describePgError(err, target)} (shipped before that: ${done}; run again to resume)`);
  } finally {
    await shipper.close();
  }
  console.log(`shipped ${formatTableCounts(shipper.shippedRows)} from ${db} to ${target.display} (recorder ${shipper.recorderId})`);
  return 0;
}
