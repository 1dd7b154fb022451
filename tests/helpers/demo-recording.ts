/**
 * A recorded demo run of fixed size, measured the way the `storage` bench stage reports it: the
 * simulator with the default symbols (as `tapedeck record --provider demo` would), recorded into a
 * fresh file until `updates` updates were received, then closed and checkpointed. Shared by the
 * bench (bench/storage-stage.ts) and the storage bound test, so both measure the same thing.
 */
import Database from 'better-sqlite3';
import { DEFAULT_SYMBOLS, planSubscriptions } from '../../electron/node/cli/subscription-plan.js';
import { Engine, type RecordSink } from '../../electron/node/engine/engine.js';
import { createProvider } from '../../electron/node/provider/create-provider.js';
import { dbBytes } from '../../electron/node/recorder/db-size.js';
import { Recorder } from '../../electron/node/recorder/recorder.js';
import { SERVICE_TABLES } from '../../electron/node/recorder/schema.js';
import { waitFor } from './wait.js';

export interface DemoRecording {
  /** Updates the recorder stored (rows of the service tables, as the engine counted them). */
  updates: number;
  /** Frames received, each exactly as received (text, or bytes for a binary or non-UTF-8 frame). */
  frames: { receivedAt: number; text: string; bytes: Uint8Array | null }[];
  /** The file and its WAL after a checkpoint. */
  bytes: number;
  /** Bytes of the pages that hold the frame archive (the `frames` and `frame_blocks` tables). */
  frameBytes: number;
  /** Bytes of the pages that hold the delta rows (the service tables and their child tables, not `_latest`). */
  rowBytes: number;
}

/** Tables that hold the verbatim frame archive, in any schema version. */
const FRAME_TABLES = ['frames', 'frame_blocks'];
/** Tables that hold one row per update (and the child rows of nested ones). */
const ROW_TABLES = [...SERVICE_TABLES.values()].flatMap((t) => (t.child ? [t.table, t.child.table] : [t.table]));

export async function recordDemo(dbPath: string, opts: { updates: number; rate: number; seed?: number; typedRows?: boolean }): Promise<DemoRecording> {
  const recorder = await Recorder.openThreaded(dbPath, { typedRows: opts.typedRows });
  const frames: DemoRecording['frames'] = [];
  // The recorder as the engine sees it, noting each frame on its way in.
  const sink: RecordSink = {
    beginConnection: (info) => recorder.beginConnection(info),
    endConnection: (id, reason, at) => recorder.endConnection(id, reason, at),
    stats: () => recorder.stats(),
    close: () => recorder.close(),
    archive(frame) {
      frames.push({ receivedAt: frame.receivedAt, text: frame.text, bytes: frame.bytes ? new Uint8Array(frame.bytes) : null });
      recorder.archive(frame);
    },
    decoded: (result) => recorder.decoded(result),
  };
  const provider = await createProvider({ provider: 'demo', rate: opts.rate, seed: opts.seed ?? 1 });
  const engine = new Engine({ provider, recorder: sink, subscriptions: planSubscriptions('schwab', DEFAULT_SYMBOLS, []), publishQuotes: false });
  engine.start();
  try {
    await waitFor(`${opts.updates} demo updates`, () => engine.status().updates >= opts.updates, 120_000);
  } finally {
    // Stopping closes the recorder: everything received is committed.
    await engine.stop();
  }
  const db = new Database(dbPath);
  let frameBytes: number;
  let rowBytes: number;
  try {
    db.pragma('wal_checkpoint(TRUNCATE)');
    const pagesOf = (names: readonly string[]) =>
      (db.prepare(`SELECT coalesce(sum(pgsize), 0) FROM dbstat WHERE name IN (${names.map(() => '?').join(', ')})`).pluck().get(...names) as number) ?? 0;
    frameBytes = pagesOf(FRAME_TABLES);
    rowBytes = pagesOf(ROW_TABLES);
  } finally {
    db.close();
  }
  return { updates: engine.status().updates, frames, bytes: dbBytes(dbPath), frameBytes, rowBytes };
}
