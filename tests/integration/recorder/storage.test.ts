/**
 * Storage at rest on a recorded demo run of fixed size (the simulator's default symbols at its
 * default rate, as `tapedeck record --provider demo` records them): the frame archive is compressed
 * and the file stays within a bound per update, while replay and the CSV export still give back
 * every frame exactly as the server sent it. Bytes are a behaviour here, not a speed.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { exportCsv } from '../../../electron/node/recorder/export.js';
import { replayFrames } from '../../../electron/node/replay/replay.js';
import { parseCsv } from '../../helpers/csv.js';
import { count } from '../../helpers/db.js';
import { recordDemo } from '../../helpers/demo-recording.js';
import { tempDir } from '../../helpers/tmp.js';

const tmp = tempDir('storage');
after(() => tmp.cleanup());

/** Updates in the run: ~10 s at the simulator's default 200 updates/s. */
const UPDATES = 2_000;
/**
 * Bounds per update at rest. Schema 2 took ~420 bytes on this run, ~175 of them for the frames;
 * schema 3 ~188, ~24.5 for the frames (deflate, 64 KB blocks); schema 4 180–184, 18–22 for the
 * frames (brotli, 256 KB blocks; the bound leaves room for the runs that reached 22.2). The typed row of an update alone takes ~125 (its record header
 * ~60, one byte per declared column; bench/RESULTS.md, "storage"), and on a run this short the
 * pages every file has add ~35.
 */
const MAX_BYTES_PER_UPDATE = 190;
const MAX_FRAME_BYTES_PER_UPDATE = 24;

test('a demo recording is compact at rest, and replay and CSV export give back every frame verbatim', async () => {
  const db = join(tmp.dir, 'demo.db');
  const run = await recordDemo(db, { updates: UPDATES, rate: 200 });
  const rows = count(db, 'SELECT count(*) AS n FROM levelone_equities') + count(db, 'SELECT count(*) AS n FROM levelone_futures');
  assert.equal(rows, run.updates, 'every update is a row');

  assert.ok(run.bytes / run.updates <= MAX_BYTES_PER_UPDATE, `${(run.bytes / run.updates).toFixed(1)} bytes per update at rest`);
  assert.ok(run.frameBytes / run.updates <= MAX_FRAME_BYTES_PER_UPDATE, `${(run.frameBytes / run.updates).toFixed(1)} bytes of frame archive per update`);

  const sent = run.frames.map((f) => f.text);
  const replayed: string[] = [];
  await replayFrames({ dbPath: db, speed: 0, onFrame: (f) => void replayed.push(f.text) });
  assert.deepEqual(replayed, sent);

  const csv = join(tmp.dir, 'frames.csv');
  const { rows: exported } = await exportCsv(db, { table: 'frames', out: csv });
  const [header, ...lines] = parseCsv(readFileSync(csv, 'utf8'));
  assert.deepEqual(header, ['id', 'session_id', 'received_at', 'text', 'data', 'flags']);
  assert.equal(exported, sent.length);
  assert.deepEqual(lines.map((l) => l[3]), sent);
  assert.deepEqual(lines.map((l) => Number(l[2])), run.frames.map((f) => f.receivedAt));
  // Ids stay consecutive across blocks and tail: delta rows point at them.
  assert.deepEqual(lines.map((l) => Number(l[0])), sent.map((_, i) => i + 1));
});
