/** --from/--to: every accepted form, the zone a bare time is read in (and that it is said), and refusals. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { timeFlag } from '../../../electron/node/cli/args.js';
import { UsageError } from '../../../electron/node/cli/errors.js';

/** 2026-11-27 09:30 in New York (EST, UTC-5) is 14:30 UTC. */
const OPEN = Date.UTC(2026, 10, 27, 14, 30);

function read(value: string): { t: number | undefined; notes: string[] } {
  const notes: string[] = [];
  return { t: timeFlag(value, '--from', (line) => notes.push(line)), notes };
}

test('an ISO time with an offset or Z is that instant, and nothing is assumed', () => {
  assert.deepEqual(read('2026-11-27T09:30:00-05:00'), { t: OPEN, notes: [] });
  assert.deepEqual(read('2026-11-27T14:30:00Z'), { t: OPEN, notes: [] });
  assert.deepEqual(read('2026-11-27T14:30Z'), { t: OPEN, notes: [] });
  assert.deepEqual(read('2026-11-27T15:30:00.000+0100'), { t: OPEN, notes: [] });
});

test('a time with a zone name, as a suffix or in brackets, is read in that zone, across daylight saving', () => {
  assert.deepEqual(read('2026-11-27T09:30 America/New_York'), { t: OPEN, notes: [] });
  assert.deepEqual(read('2026-11-27T09:30[America/New_York]'), { t: OPEN, notes: [] });
  assert.deepEqual(read('2026-11-27T14:30 UTC'), { t: OPEN, notes: [] });
  // July: New York is on EDT (UTC-4); Tokyo has no daylight saving (UTC+9).
  assert.equal(read('2026-07-01T09:30 America/New_York').t, Date.UTC(2026, 6, 1, 13, 30));
  assert.equal(read('2026-07-01T09:30:15 Asia/Tokyo').t, Date.UTC(2026, 6, 1, 0, 30, 15));
});

test("'local' is this machine's zone", () => {
  const local = new Date(2026, 10, 27, 9, 30).getTime();
  assert.deepEqual(read('2026-11-27T09:30 local'), { t: local, notes: [] });
});

test('a bare date/time is read as exchange time, and the assumed zone is said', () => {
  const { t, notes } = read('2026-11-27T09:30');
  assert.equal(t, OPEN);
  assert.equal(notes.length, 1);
  assert.match(notes[0]!, /^--from 2026-11-27T09:30 read as America\/New_York \(ET\)/);
  assert.equal(read('2026-11-27').t, Date.UTC(2026, 10, 27, 5), 'a date alone is midnight in New York');
});

test('ms since the epoch stays as it was', () => {
  assert.deepEqual(read('1795786200000'), { t: 1795786200000, notes: [] });
  assert.equal(timeFlag(undefined, '--to'), undefined);
});

test('an unknown zone or an unreadable time is a usage error naming the flag', () => {
  assert.throws(() => read('2026-11-27T09:30 Mars/Olympus'), (e: unknown) => e instanceof UsageError && /unknown time zone 'Mars\/Olympus'/.test(e.message));
  assert.throws(() => read('2026-11-27T09:30[Nowhere]'), UsageError);
  for (const bad of ['yesterday', '2026-13-01T09:30', '2026-02-30', '2026-11-27T25:00', '2026-11-27T09:30+99:00', '']) {
    assert.throws(() => read(bad), (e: unknown) => e instanceof UsageError && e.message.startsWith('--from must be'), bad);
  }
});
