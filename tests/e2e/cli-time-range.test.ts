/**
 * `export` and `replay` read --from/--to in the zone they name, or in exchange time when none is
 * named, and then say so on stderr; an unknown zone is a usage error. The CLI runs with TZ set to
 * Tokyo, so exchange time, UTC and the machine's own zone all differ.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { count, query } from '../helpers/db.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('cli-time');
const TOKYO = { TZ: 'Asia/Tokyo' };

/** An instant as wall-clock text in a zone, to the second (Intl directly, not the code under test). */
function wallClock(ms: number, timeZone: string): string {
  const p = Object.fromEntries(
    new Intl.DateTimeFormat('en-US', { timeZone, year: 'numeric', month: '2-digit', day: '2-digit', hour: '2-digit', minute: '2-digit', second: '2-digit', hourCycle: 'h23' })
      .formatToParts(ms)
      .map((x) => [x.type, x.value]),
  );
  return `${p.year}-${p.month}-${p.day}T${p.hour}:${p.minute}:${p.second}`;
}

describe('--from/--to and their time zones', () => {
  const db = join(tmp.dir, 'rec.db');
  /** A whole second inside the recording, and how many AAPL rows were received from it on. */
  let cut = 0;
  let expected = 0;

  before(async () => {
    const rec = await runCli(['record', '--db', db, '--symbols', 'AAPL', '--duration', '3', '--rate', '500'], TOKYO, 60_000);
    assert.equal(rec.code, 0, rec.stderr);
    const times = query<{ t: number }>(db, "SELECT received_at AS t FROM levelone_equities WHERE key = 'AAPL' ORDER BY received_at").map((r) => r.t);
    assert.ok(times.length > 10, `recorded ${times.length} rows`);
    cut = Math.ceil(times[Math.floor(times.length / 2)]! / 1000) * 1000;
    expected = count(db, "SELECT count(*) AS n FROM levelone_equities WHERE key = 'AAPL' AND received_at >= ?", cut);
    assert.ok(expected > 0 && expected < times.length, 'the cut splits the recording');
  });

  after(() => tmp.cleanup());

  const exportFrom = async (from: string, name: string) => {
    const out = join(tmp.dir, `${name}.csv`);
    const r = await runCli(['export', '--db', db, '--out', out, '--table', 'levelone_equities', '--key', 'AAPL', '--from', from], TOKYO);
    assert.equal(r.code, 0, r.stderr);
    return { rows: readFileSync(out, 'utf8').trim().split(/\r?\n/).length - 1, stderr: r.stderr };
  };

  test('a bare time is read as New York time, and the command says so', async () => {
    const text = wallClock(cut, 'America/New_York');
    const { rows, stderr } = await exportFrom(text, 'bare');
    assert.equal(rows, expected);
    assert.match(stderr, new RegExp(`--from ${text} read as America/New_York \\(ET\\)`));
  });

  test('an offset, Z, a zone name or local name the instant themselves, and nothing is said', async () => {
    const forms = [
      `${wallClock(cut, 'UTC')}Z`,
      `${wallClock(cut, 'Asia/Kolkata')}+05:30`,
      `${wallClock(cut, 'Europe/London')} Europe/London`,
      `${wallClock(cut, 'America/Chicago')}[America/Chicago]`,
      `${wallClock(cut, 'Asia/Tokyo')} local`,
    ];
    for (const [i, form] of forms.entries()) {
      const { rows, stderr } = await exportFrom(form, `form${i}`);
      assert.equal(rows, expected, form);
      assert.doesNotMatch(stderr, /read as/, form);
    }
  });

  test('replay says which zone it assumed too', async () => {
    const text = wallClock(cut, 'America/New_York');
    const r = await runCli(['replay', '--db', db, '--from', text], TOKYO);
    assert.equal(r.code, 0, r.stderr);
    assert.match(r.stderr, new RegExp(`--from ${text} read as America/New_York \\(ET\\)`));
  });

  test('an unknown zone is a usage error (exit 2) naming it', async () => {
    const r = await runCli(['export', '--db', db, '--out', join(tmp.dir, 'x.csv'), '--table', 'levelone_equities', '--to', '2026-11-27T09:30 Mars/Olympus'], TOKYO);
    assert.equal(r.code, 2);
    assert.match(r.stderr, /--to names an unknown time zone 'Mars\/Olympus'/);
  });
});
