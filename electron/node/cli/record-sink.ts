/**
 * `record --sink URL`: the PostgreSQL sink beside a recording. Its events become the command's
 * event lines (never with the password); at exit it drains what the recorder committed last, for
 * a bounded time, and says what is left for `tapedeck ship` if the server was away.
 */
import type { PgTarget } from '../sink/pg-url.js';
import type { SinkNotice } from '../sink/shipper.js';
import { SinkThread } from '../sink/sink-thread.js';
import { UserError } from './errors.js';
import { formatTableCounts } from './pg-url-flag.js';

/** How long `record` keeps shipping after the recording ended before it leaves the rest to `ship`. */
export const RECORD_SINK_DRAIN_MS = 30_000;

export interface RecordSink {
  /** Drains and stops; logs the outcome. Call after the recorder has closed. */
  finish(): Promise<void>;
}

export async function startRecordSink(dbPath: string, target: PgTarget, log: (line: string) => void): Promise<RecordSink> {
  let sink: SinkThread;
  try {
    sink = await SinkThread.start(dbPath, target, {
      onNotice: (n) => log(noticeLine(n, target)),
      onDied: (message) => log(`! sink: ${message}`),
    });
  } catch (err) {
    throw new UserError(`cannot ship ${dbPath} to ${target.display}: ${(err as Error).message}`);
  }
  log(`shipping to ${target.display} as recorder ${sink.recorderId}`);
  return {
    async finish() {
      const { shipped, behind } = await sink.stop(RECORD_SINK_DRAIN_MS);
      log(`sink: shipped ${formatTableCounts(shipped)} to ${target.display}`);
      if (behind.length > 0) {
        log(`! sink: not shipped yet: ${formatTableCounts(behind)}; 'tapedeck ship --db ${dbPath} --to URL' ships them`);
      }
    },
  };
}

export function noticeLine(n: SinkNotice, target: PgTarget): string {
  switch (n.kind) {
    case 'failing':
      return `! sink: ${n.message}; retrying (the recording goes on, rows are shipped once it is back)`;
    case 'recovered':
      return `sink: ${target.display} is back after ${n.failures} failed attempt${n.failures === 1 ? '' : 's'} (${(n.downMs / 1000).toFixed(1)} s); catching up`;
    case 'table-skipped':
      return `! sink: not shipping ${n.table}: ${n.reason}`;
  }
}
