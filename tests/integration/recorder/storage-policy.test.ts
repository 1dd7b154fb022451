/**
 * Daily files, retention and the free-space guard, on real files with an injected clock and an
 * injected measure of free space (ManagedRecorder).
 */
import assert from 'node:assert/strict';
import { existsSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { ManagedRecorder, type ManagedRecorderOptions } from '../../../electron/node/recorder/managed-recorder.js';
import { Recorder } from '../../../electron/node/recorder/recorder.js';
import type { StoragePolicy } from '../../../electron/node/recorder/storage-policy.js';
import type { MarketUpdate } from '../../../shared/market.js';
import { archivedFrames, count, query } from '../../helpers/db.js';
import { merging } from '../../helpers/merging.js';
import { tempDir } from '../../helpers/tmp.js';

const tmp = tempDir('storage-policy');
after(() => tmp.cleanup());
let n = 0;
const freshDir = () => {
  const dir = join(tmp.dir, `d${n++}`);
  return { dir, db: join(dir, 'ticks.db') };
};
const DAY = 86_400_000;
const update = (key: string, at: number): MarketUpdate => ({ service: 'LEVELONE_EQUITIES', key, ts: at, fields: { last_price: 1 }, meta: {} });

/** A manager committing on the calling thread (Recorder.open), with no timer: tests call check(). */
function open(path: string, policy: Partial<StoragePolicy>, more: Partial<ManagedRecorderOptions> = {}): Promise<ManagedRecorder> {
  return ManagedRecorder.open({
    path,
    policy: { rotate: 'none', retainDays: null, minFreeMb: 0, typedRows: true, ...policy },
    openRecorder: (p, o) => Recorder.open(p, o),
    checkEveryMs: 0,
    ...more,
  });
}

async function mkdir(dir: string): Promise<void> {
  const { mkdirSync } = await import('node:fs');
  mkdirSync(dir, { recursive: true });
}

test('--rotate daily: at midnight in New York the session ends as rotated and the next file, named with the date, takes over', async () => {
  const { dir, db } = freshDir();
  await mkdir(dir);
  // 23:59:59 on 14 January in New York is already the 15th in UTC: the day must be New York's.
  let clock = Date.parse('2026-01-15T04:59:59Z');
  const m = await open(db, { rotate: 'daily' }, { now: () => clock });
  const rec = merging('schwab');
  m.beginConnection({ connectionId: 1, provider: 'demo', dialect: 'schwab', url: 'ws://x', startedAt: clock });
  const send = (text: string) => {
    const f = rec({ connectionId: 1, receivedAt: clock, text, updates: [update('AAPL', clock)] });
    m.archive(f);
    m.decoded(f);
  };
  send('before midnight');
  const midnight = Date.parse('2026-01-15T05:00:00Z');
  clock = midnight + 1;
  send('after midnight');
  await m.settled();
  send('later');
  m.endConnection(1, 'logged out', clock);
  await m.close();

  const first = join(dir, 'ticks-2026-01-14.db');
  const second = join(dir, 'ticks-2026-01-15.db');
  assert.deepEqual(readdirSync(dir).filter((f) => f.endsWith('.db')).sort(), ['ticks-2026-01-14.db', 'ticks-2026-01-15.db']);
  assert.deepEqual(archivedFrames(first).map((f) => f.text), ['before midnight']);
  assert.deepEqual(archivedFrames(second).map((f) => f.text), ['after midnight', 'later']);
  assert.deepEqual(query(first, 'SELECT ended_at, end_reason FROM sessions'), [{ ended_at: midnight + 1, end_reason: 'rotated' }]);
  assert.deepEqual(query(second, 'SELECT provider, started_at, end_reason FROM sessions'), [{ provider: 'demo', started_at: midnight + 1, end_reason: 'logged out' }]);
  assert.equal(count(second, 'SELECT count(*) AS n FROM levelone_equities'), 2);
});

test('--retain-days with daily files deletes the files older than N days, and only those', async () => {
  const { dir, db } = freshDir();
  await mkdir(dir);
  for (const day of ['2026-01-01', '2026-01-07', '2026-01-08', '2026-01-14']) Recorder.open(join(dir, `ticks-${day}.db`)).close();
  Recorder.open(join(dir, 'other-2026-01-01.db')).close();
  const notices: string[] = [];
  const m = await open(db, { rotate: 'daily', retainDays: 7 }, { now: () => Date.parse('2026-01-15T15:00:00Z'), onNotice: (l) => notices.push(l) });
  await m.close();
  const left = readdirSync(dir).filter((f) => f.endsWith('.db')).sort();
  assert.deepEqual(left, ['other-2026-01-01.db', 'ticks-2026-01-08.db', 'ticks-2026-01-14.db', 'ticks-2026-01-15.db']);
  assert.ok(!existsSync(join(dir, 'ticks-2026-01-07.db-wal')));
  assert.equal(notices.filter((l) => /^removed .*ticks-2026-01-0[17]\.db \(older than 7 days\)$/.test(l)).length, 2);
});

test('--retain-days on a single file deletes rows older than N days in steps; frame ids never repeat', async () => {
  const { dir, db } = freshDir();
  await mkdir(dir);
  const now = Date.parse('2026-01-15T15:00:00Z');
  // 1,200 old frames (more than one step) and a recent one, through a plain recorder.
  const r = Recorder.open(db);
  const rec = merging('schwab');
  r.beginConnection({ connectionId: 1, provider: 'demo', dialect: 'schwab', url: 'ws://x', startedAt: now - 10 * DAY });
  for (let i = 0; i < 1200; i++) r.record(rec({ connectionId: 1, receivedAt: now - 10 * DAY + i, text: `old ${i}`, updates: [update('AAPL', i)] }));
  r.endConnection(1, 'logged out', now - 10 * DAY + 2000);
  r.beginConnection({ connectionId: 2, provider: 'demo', dialect: 'schwab', url: 'ws://x', startedAt: now - DAY });
  r.record(rec({ connectionId: 2, receivedAt: now - DAY, text: 'recent', updates: [update('MSFT', 1)] }));
  r.endConnection(2, 'logged out', now - DAY + 1);
  r.close();
  const lastId = Math.max(...archivedFrames(db).map((f) => f.id));

  const m = await open(db, { retainDays: 7 }, { now: () => now });
  // open() ran one step: rows remain until the next ones.
  assert.ok(count(db, 'SELECT count(*) AS n FROM levelone_equities') > 1);
  m.check();
  m.check();
  m.check();
  assert.deepEqual(query(db, 'SELECT key FROM levelone_equities'), [{ key: 'MSFT' }]);
  assert.deepEqual(archivedFrames(db).map((f) => f.text), ['recent']);
  assert.deepEqual(query(db, 'SELECT id FROM sessions'), [{ id: 2 }]);
  m.beginConnection({ connectionId: 3, provider: 'demo', dialect: 'schwab', url: 'ws://x', startedAt: now });
  m.archive({ connectionId: 3, receivedAt: now, text: 'new' });
  m.endConnection(3, 'logged out', now);
  await m.close();
  assert.deepEqual(archivedFrames(db).map((f) => [f.text, f.id]), [['recent', lastId], ['new', lastId + 1]]);
  assert.deepEqual(query(db, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
});

test('when retention has removed every frame, the next frame still gets a new id', async () => {
  const { dir, db } = freshDir();
  await mkdir(dir);
  const now = Date.parse('2026-01-15T15:00:00Z');
  const r = Recorder.open(db);
  r.beginConnection({ connectionId: 1, provider: 'demo', dialect: 'schwab', url: 'ws://x', startedAt: now - 10 * DAY });
  for (let i = 0; i < 5; i++) r.archive({ connectionId: 1, receivedAt: now - 10 * DAY, text: `old ${i}` });
  r.close();
  const m = await open(db, { retainDays: 7 }, { now: () => now });
  assert.deepEqual(archivedFrames(db), []);
  m.beginConnection({ connectionId: 2, provider: 'demo', dialect: 'schwab', url: 'ws://x', startedAt: now });
  m.archive({ connectionId: 2, receivedAt: now, text: 'new' });
  await m.close();
  assert.deepEqual(archivedFrames(db).map((f) => [f.text, f.id]), [['new', 6]]);
});

test('the free-space guard pauses recording with one line below the minimum and resumes when space returns', async () => {
  const { dir, db } = freshDir();
  await mkdir(dir);
  let free = 2048 * 1024 * 1024;
  const notices: string[] = [];
  let clock = 1_000;
  const m = await open(db, { minFreeMb: 1024 }, { now: () => clock, freeSpace: () => free, onNotice: (l) => notices.push(l) });
  m.beginConnection({ connectionId: 1, provider: 'demo', dialect: 'schwab', url: 'ws://x', startedAt: clock });
  m.archive({ connectionId: 1, receivedAt: clock, text: 'kept 1' });
  free = 100 * 1024 * 1024;
  clock = 2_000;
  m.check();
  m.check(); // still low: said once
  assert.equal(m.paused, true);
  m.archive({ connectionId: 1, receivedAt: clock, text: 'dropped' });
  m.decoded({ receivedAt: clock, updates: [update('AAPL', 1)], merged: [update('AAPL', 1)] });
  free = 1500 * 1024 * 1024;
  clock = 3_000;
  m.check();
  m.archive({ connectionId: 1, receivedAt: clock, text: 'kept 2' });
  m.endConnection(1, 'logged out', 4_000);
  await m.close();

  assert.deepEqual(notices, [
    `recording paused: 100 MB free on ${dir}, below the 1,024 MB minimum; it resumes when space returns`,
    `recording resumed: 1,500 MB free on ${dir}`,
  ]);
  assert.deepEqual(archivedFrames(db).map((f) => f.text), ['kept 1', 'kept 2']);
  assert.equal(count(db, "SELECT count(*) AS n FROM sqlite_master WHERE name = 'levelone_equities'"), 0, 'the dropped frame wrote no rows');
  assert.deepEqual(query(db, 'SELECT started_at, ended_at, end_reason FROM sessions ORDER BY id'), [
    { started_at: 1_000, ended_at: 2_000, end_reason: 'paused: low disk space' },
    { started_at: 3_000, ended_at: 4_000, end_reason: 'logged out' },
  ]);
  assert.deepEqual(query(db, 'PRAGMA integrity_check'), [{ integrity_check: 'ok' }]);
});
