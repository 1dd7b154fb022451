/**
 * `record --frames-only`: the frame archive and the `_latest` rows, no typed row per update, and
 * `replay --out` rebuilds the typed tables from the frames (README "Size, daily files…").
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { archivedFrames, countRows, query } from '../helpers/db.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('cli-frames-only');
after(() => tmp.cleanup());

const numbers = (summary: string) => /([\d,]+) updates, ([\d,]+) rows, ([\d,]+) frames/.exec(summary)!.slice(1).map((n) => Number(n.replace(/,/g, '')));

test('record --frames-only keeps every frame and the latest values, no typed rows; replay --out rebuilds them all', async () => {
  const db = join(tmp.dir, 'compact.db');
  const r = await runCli(['record', '--db', db, '--duration', '3', '--frames-only']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stderr.trim().split('\n').map((l) => l.slice(24));
  assert.match(lines[0]!, / into \S+compact\.db \(frames and latest values only\)$/);
  const [updates, rows, frames] = numbers(lines.at(-1)!);
  assert.ok(updates! > 0, lines.at(-1));
  assert.equal(rows, 0, 'no typed rows were written');
  assert.equal(countRows(db, 'levelone_equities') + countRows(db, 'levelone_futures'), 0);
  assert.equal(archivedFrames(db).length, frames);
  assert.deepEqual(query<{ key: string }>(db, 'SELECT key FROM levelone_equities_latest ORDER BY key').map((x) => x.key), ['AAPL', 'GOOG', 'MSFT']);
  assert.equal(countRows(db, 'levelone_futures_latest'), 1);

  // Every update the run received, as typed rows, from the frames alone.
  const rebuilt = join(tmp.dir, 'typed.db');
  const replay = await runCli(['replay', '--db', db, '--out', rebuilt]);
  assert.equal(replay.code, 0, replay.stderr);
  assert.equal(countRows(rebuilt, 'levelone_equities') + countRows(rebuilt, 'levelone_futures'), updates);
  const latest = (file: string) => query<{ key: string; last_price: number | null }>(file, 'SELECT key, last_price FROM levelone_equities_latest ORDER BY key');
  assert.deepEqual(latest(rebuilt), latest(db));
});
