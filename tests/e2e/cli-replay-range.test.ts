/**
 * README "Command line", replay: "--from TIME --to TIME" limit the frames replayed (by the frames'
 * received_at, ms since the epoch or an ISO time), and "--speed X" paces them: "1 = as recorded,
 * 0 = as fast as possible". Pacing changes when lines come, never which lines or their order; a
 * paced run cannot end before the recorded span, divided by the speed, has passed (a lower bound,
 * which a slow machine only moves further away).
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { query } from '../helpers/db.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('cli-replay');
const db = join(tmp.dir, 'recorded.db');

interface Line {
  receivedAt: number;
  service: string;
  key: string;
}

const parse = (stdout: string): Line[] => stdout.trim().split('\n').filter(Boolean).map((l) => JSON.parse(l) as Line);

/** The received_at of every delta row recorded, in order. */
function rowTimes(): number[] {
  return query<{ t: number }>(db, 'SELECT received_at AS t FROM levelone_equities UNION ALL SELECT received_at FROM levelone_futures ORDER BY t').map((r) => r.t);
}

describe('replay --from, --to and --speed', () => {
  // One recording, written before the tests and only read by them.
  before(async () => {
    const r = await runCli(['record', '--db', db, '--duration', '3', '--rate', '300']);
    assert.equal(r.code, 0, r.stderr);
  });
  after(() => tmp.cleanup());

  test('--from and --to replay only the updates received in that range, as ms or as ISO times', async () => {
    const full = await runCli(['replay', '--db', db]);
    assert.equal(full.code, 0, full.stderr);
    const all = parse(full.stdout);
    const times = rowTimes();
    assert.equal(all.length, times.length);
    const from = times[Math.floor(times.length / 3)]!;
    const to = times[Math.floor((2 * times.length) / 3)]!;
    assert.ok(from < to);

    const ranged = await runCli(['replay', '--db', db, '--from', String(from), '--to', String(to)]);
    assert.equal(ranged.code, 0, ranged.stderr);
    const lines = parse(ranged.stdout);
    // Both ends included; exactly the rows recorded in the range, in the order of the full replay.
    assert.equal(lines.length, times.filter((t) => t >= from && t <= to).length);
    assert.deepEqual(lines, all.filter((l) => l.receivedAt >= from && l.receivedAt <= to));
    assert.equal(lines[0]!.receivedAt, from);
    assert.equal(lines.at(-1)!.receivedAt, to);

    const iso = await runCli(['replay', '--db', db, '--from', new Date(from).toISOString(), '--to', new Date(to).toISOString()]);
    assert.equal(iso.code, 0, iso.stderr);
    assert.equal(iso.stdout, ranged.stdout);

    const onlyFrom = parse((await runCli(['replay', '--db', db, '--from', String(to)])).stdout);
    assert.deepEqual(onlyFrom, all.filter((l) => l.receivedAt >= to));
  });

  test('--speed paces the replay as recorded (1) or faster (X) and prints the same lines in the same order as 0', { timeout: 60_000 }, async () => {
    const times = rowTimes();
    // About two seconds of the recording.
    const from = times[0]!;
    const to = times.filter((t) => t <= from + 2000).at(-1)!;
    const span = to - from;
    assert.ok(span > 1000, `the recording spans only ${span} ms`);
    const range = ['--from', String(from), '--to', String(to)];

    const unpaced = await runCli(['replay', '--db', db, '--speed', '0', ...range]);
    assert.equal(unpaced.code, 0, unpaced.stderr);
    for (const speed of [1, 4]) {
      const started = Date.now();
      const paced = await runCli(['replay', '--db', db, '--speed', String(speed), ...range]);
      const elapsed = Date.now() - started;
      assert.equal(paced.code, 0, paced.stderr);
      assert.equal(paced.stdout, unpaced.stdout, `--speed ${speed} printed other lines than --speed 0`);
      // The last frame is due span/speed after the first: no paced run can end sooner.
      assert.ok(elapsed >= (span / speed) * 0.95, `--speed ${speed} replayed ${span} ms of recording in ${elapsed} ms`);
    }
  });
});
