/**
 * The status bar's recording toggle (README "Status bar"): pausing keeps the file open, the
 * connection's one `sessions` row going and the status showing the file's real size and rows; the
 * pause itself is a `recording_pauses` row, and no frame is archived while it lasts.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { archivedFrames, count, query } from '../../helpers/db.js';
import { startTestHost } from '../../helpers/host.js';
import { tempDir } from '../../helpers/tmp.js';
import { waitFor } from '../../helpers/wait.js';

test('pausing recording keeps the sessions row, notes the pause, archives nothing meanwhile, and the status shows the file', async (t) => {
  const { dir, cleanup } = tempDir('pause');
  const host = await startTestHost(dir, { rate: 2000, barMs: 200, seed: 11 });
  t.after(async () => {
    await host.close();
    cleanup();
  });
  const about = await host.invoke('app:about', null);
  const db = about.dbPath;

  await waitFor('recorded frames', () => archivedFrames(db).length > 50, 30_000);
  const paused = await host.invoke('recording:set', { on: false });
  assert.equal(paused.recording, false);
  await waitFor('the pause row', () => count(db, 'SELECT count(*) AS n FROM recording_pauses') === 1, 30_000);
  const [pause] = query<{ session_id: number | null; paused_at: number; resumed_at: number | null }>(db, 'SELECT session_id, paused_at, resumed_at FROM recording_pauses');
  assert.equal(pause!.resumed_at, null);
  assert.notEqual(pause!.session_id, null, 'the pause names the live connection');

  // While paused the status still shows the file, not "rows 0 0 KB".
  const status = await host.invoke('app:snapshot', null).then((s) => s.status);
  assert.ok(status.dbBytes > 0);
  const fileRows = archivedFrames(db).length;
  assert.ok(status.rows >= fileRows, `status rows ${status.rows} cover the file's ${fileRows} frames`);

  // Frames keep arriving (the connection goes on) but none is archived while paused.
  const seen = (await host.invoke('app:snapshot', null)).status.frames;
  await waitFor('frames received while paused', async () => (await host.invoke('app:snapshot', null)).status.frames > seen + 50, 30_000);
  assert.equal(archivedFrames(db).filter((f) => f.receivedAt > pause!.paused_at).length, 0);

  const resumed = await host.invoke('recording:set', { on: true });
  assert.equal(resumed.recording, true);
  await waitFor('frames after resuming', () => archivedFrames(db).filter((f) => f.receivedAt > pause!.paused_at).length > 10, 30_000);
  const [ended] = query<{ resumed_at: number | null }>(db, 'SELECT resumed_at FROM recording_pauses');
  assert.ok(ended!.resumed_at !== null && ended!.resumed_at >= pause!.paused_at);
  assert.equal(count(db, 'SELECT count(*) AS n FROM sessions'), 1, 'one connection, one sessions row');
  assert.equal(count(db, 'SELECT count(*) AS n FROM sessions WHERE ended_at IS NOT NULL'), 0, 'pausing did not end it');
});
