/**
 * The recorder's documented defaults (README: one SQLite file in WAL mode; batches every 50 ms or
 * 5,000 rows). WAL is read back from a real file by another connection; the batch limits are the
 * exported defaults the recorder falls back to, pinned here so a change must update the README.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { test } from 'node:test';
import { FLUSH_INTERVAL_MS, MAX_BATCH_ROWS, Recorder } from '../../../electron/node/recorder/recorder.js';
import { tempDir } from '../../helpers/tmp.js';

test('a new database is in WAL mode, as another connection sees it', async (t) => {
  const tmp = tempDir('recorder-defaults');
  t.after(() => tmp.cleanup());
  const path = join(tmp.dir, 'wal.db');
  const recorder = Recorder.open(path);
  try {
    const reader = new Database(path, { readonly: true, fileMustExist: true });
    try {
      assert.equal(reader.pragma('journal_mode', { simple: true }), 'wal');
    } finally {
      reader.close();
    }
  } finally {
    await recorder.close();
  }
});

test('batches are committed every 50 ms or 5,000 rows by default', () => {
  assert.equal(FLUSH_INTERVAL_MS, 50);
  assert.equal(MAX_BATCH_ROWS, 5_000);
});
