/** A PostgreSQL URL flag (`record --sink`, `ship --to`): a bad one is a mistake on the command line (exit 2). */
import { parsePgUrl, PgUrlError, type PgTarget } from '../sink/pg-url.js';
import { UsageError } from './errors.js';

export function pgUrlFlag(value: string, flag: string): PgTarget {
  try {
    return parsePgUrl(value);
  } catch (err) {
    if (err instanceof PgUrlError) throw new UsageError(`${flag}: ${err.message}`);
    throw err;
  }
}

/** `12,345 levelone_equities, 3 sessions`, largest first; `nothing` when empty. */
export function formatTableCounts(counts: Iterable<[string, number]>): string {
  const list = [...counts].filter(([, n]) => n > 0).sort((a, b) => b[1] - a[1] || a[0].localeCompare(b[0]));
  return list.length === 0 ? 'nothing' : list.map(([t, n]) => `${n.toLocaleString('en-US')} ${t}`).join(', ');
}
