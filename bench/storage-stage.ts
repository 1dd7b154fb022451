/**
 * Storage at rest: the demo mix (the simulator's default symbols at its default rate, as
 * `tapedeck record --provider demo` records them) for a fixed number of updates into a fresh file,
 * closed and checkpointed; bytes of the file and its WAL per update, split into the frame archive,
 * the delta rows and the rest (pages every file has, however long the run).
 * The same recording as the storage bound test (tests/helpers/demo-recording.ts).
 */
import { join } from 'node:path';
import { recordDemo } from '../tests/helpers/demo-recording.js';
import { row, type ResultRow } from './results.js';

/** The simulator's default rate (updates/s): what the demo provider streams. */
const DEMO_RATE = 200;
/** At rest per update, across all tables (issue "Data that lasts"). */
const TARGET_BYTES_PER_UPDATE = 80;

export async function storageStage(dir: string, updates: number): Promise<ResultRow[]> {
  const run = await recordDemo(join(dir, 'storage.db'), { updates, rate: DEMO_RATE });
  const compact = await recordDemo(join(dir, 'storage-frames-only.db'), { updates, rate: DEMO_RATE, typedRows: false });
  return [
    row('storage', `bytes per update at rest, demo mix, ${run.updates.toLocaleString('en-US')} updates (file + WAL after checkpoint)`, run.bytes / run.updates, 'bytes', 'target', TARGET_BYTES_PER_UPDATE),
    row('storage', 'frame archive share of the file', (run.frameBytes / run.bytes) * 100, '%', null, null),
    row('storage', 'frame archive per update', run.frameBytes / run.updates, 'bytes', null, null),
    row('storage', 'delta rows per update (service tables)', run.rowBytes / run.updates, 'bytes', null, null),
    // Schema, fixed tables, `_latest`: the same few pages whatever the length of the run.
    row('storage', 'other pages per update (schema, fixed tables, _latest)', (run.bytes - run.frameBytes - run.rowBytes) / run.updates, 'bytes', null, null),
    // `record --frames-only`: the archive and `_latest`, typed rows rebuilt by `replay --out` when wanted.
    row('storage', 'bytes per update at rest with --frames-only (no typed rows)', compact.bytes / compact.updates, 'bytes', 'target', TARGET_BYTES_PER_UPDATE),
  ];
}
