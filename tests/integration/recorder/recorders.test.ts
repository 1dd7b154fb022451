/**
 * The recorder with both sinks (commits in thread and on a writer thread) on real SQLite files: every delta row holds
 * exactly the fields of its update in arrival order and points at its frame, across multi-row
 * INSERTs of mixed column sets; a failed commit is reported and written later, once; latest rows
 * merge with what an earlier run stored.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { join } from 'node:path';
import { after, describe, test } from 'node:test';
import { mulberry32 } from '../../../electron/node/sim/prng.js';
import { Recorder, RecorderError, type RecorderOptions } from '../../../electron/node/recorder/recorder.js';
import { BatchBuilder } from '../../../electron/node/recorder/batch-builder.js';
import { BatchWriter } from '../../../electron/node/recorder/batch-writer.js';
import { ROWS_PER_INSERT } from '../../../electron/node/recorder/write-batch.js';
import type { FieldValue, MarketUpdate } from '../../../shared/market.js';
import { serviceSpec } from '../../../shared/protocol/services.js';
import { archivedFrames, query } from '../../helpers/db.js';
import { merging } from '../../helpers/merging.js';
import { tempDir } from '../../helpers/tmp.js';

const tmp = tempDir('recorders');
after(() => tmp.cleanup());
let n = 0;
const fresh = () => join(tmp.dir, `r${n++}.db`);

interface AnyRecorder {
  beginConnection(info: { connectionId: number; provider: string; dialect: string; url: string }): void;
  endConnection(connectionId: number, reason: string): void;
  record(frame: { connectionId: number; receivedAt: number; text: string; updates: readonly MarketUpdate[]; merged: readonly MarketUpdate[] }): void;
  stats(): { frames: number; rows: number; commits: number; pendingFrames: number };
  close(): void | Promise<void>;
}

const kinds: { name: string; open: (path: string, opts?: RecorderOptions) => Promise<AnyRecorder> }[] = [
  { name: 'Recorder (in thread)', open: async (path, opts) => Recorder.open(path, opts) },
  { name: 'Recorder (writer thread)', open: (path, opts) => Recorder.openThreaded(path, opts) },
];

const FIELDS = serviceSpec('schwab', 'LEVELONE_EQUITIES')!.fields.filter((f) => f && f.type !== 'json');

/** Seeded level-one traffic: random subsets of fields of every type, 1–12 updates per frame. */
function traffic(seed: number, updates: number): { text: string; updates: MarketUpdate[] }[] {
  const rand = mulberry32(seed);
  const frames: { text: string; updates: MarketUpdate[] }[] = [];
  let made = 0;
  while (made < updates) {
    const items: MarketUpdate[] = [];
    const count = Math.min(updates - made, 1 + Math.floor(rand() * 12));
    for (let i = 0; i < count; i++, made++) {
      const fields: Record<string, FieldValue> = {};
      const wanted = 1 + Math.floor(rand() * (rand() < 0.1 ? FIELDS.length : 8));
      for (let k = 0; k < wanted; k++) {
        const f = FIELDS[Math.floor(rand() * FIELDS.length)]!;
        fields[f.name] =
          f.type === 'string' ? `s${Math.floor(rand() * 1000)}` : f.type === 'boolean' ? rand() < 0.5 : f.type === 'integer' ? Math.floor(rand() * 1e6) : Math.round(rand() * 1e6) / 100;
      }
      items.push({ service: 'LEVELONE_EQUITIES', key: `K${Math.floor(rand() * 40)}`, ts: 1_000 + made, fields, meta: rand() < 0.2 ? { delayed: rand() < 0.5, assetMainType: 'EQUITY' } : {} });
    }
    frames.push({ text: `frame ${frames.length}: ${items.map((u) => u.key).join(',')}`, updates: items });
  }
  return frames;
}

const sqlValue = (v: FieldValue | undefined) => (v === undefined ? null : typeof v === 'boolean' ? (v ? 1 : 0) : v);

/** Every delta row, in id order, is its update (fields, key, frame, receive time); latest rows are the merge. */
function assertRowsAreUpdates(path: string, frames: { text: string; updates: MarketUpdate[] }[]): void {
  const cols = FIELDS.map((f) => `"${f.name}"`).join(', ');
  const texts = new Map(archivedFrames(path).map((f) => [f.id, f.text]));
  const rows = query<Record<string, unknown>>(path, `SELECT d.key, d.ts, d.received_at, d.delayed, d.asset_main_type, d.frame_id, ${cols} FROM levelone_equities d ORDER BY d.id`).map((r): Record<string, unknown> => ({ ...r, text: texts.get(r.frame_id as number) }));
  const expected = frames.flatMap((f, i) => f.updates.map((u) => ({ u, text: f.text, receivedAt: 10_000 + i })));
  assert.equal(rows.length, expected.length);
  rows.forEach((row, i) => {
    const { u, text, receivedAt } = expected[i]!;
    assert.equal(row.key, u.key, `row ${i}`);
    assert.equal(row.ts, u.ts);
    assert.equal(row.text, text);
    assert.equal(row.received_at, receivedAt);
    assert.equal(row.delayed, u.meta.delayed === undefined ? null : u.meta.delayed ? 1 : 0);
    assert.equal(row.asset_main_type, u.meta.assetMainType ?? null);
    for (const f of FIELDS) assert.equal(row[f.name], sqlValue(u.fields[f.name]), `row ${i} ${f.name}`);
  });
  // The latest row of every key is the field-by-field merge of its updates.
  const merged = new Map<string, Record<string, FieldValue>>();
  for (const { u } of expected) merged.set(u.key, { ...merged.get(u.key), ...u.fields });
  const latest = query<Record<string, unknown>>(path, `SELECT key, ${cols} FROM levelone_equities_latest`);
  assert.equal(latest.length, merged.size);
  for (const row of latest) for (const f of FIELDS) assert.equal(row[f.name], sqlValue(merged.get(row.key as string)![f.name]), `${row.key} ${f.name}`);
}

for (const kind of kinds) {
  describe(kind.name, () => {
    test('each delta row is its update: fields, order and frame, across multi-row INSERTs', async () => {
      const path = fresh();
      const frames = traffic(7, 40 * ROWS_PER_INSERT + 5);
      const r = await kind.open(path, { maxBatchRows: 300 });
      const s = 1;
      r.beginConnection({ connectionId: s, provider: 'demo', dialect: 'schwab', url: 'ws://x' });
      const m = merging('schwab');
      frames.forEach((f, i) => r.record(m({ connectionId: s, receivedAt: 10_000 + i, text: f.text, updates: f.updates })));
      await r.close();

      assertRowsAreUpdates(path, frames);
      assert.deepEqual(query(path, 'SELECT provider FROM sessions'), [{ provider: 'demo' }]);
    });

    test('a failed commit is reported, kept, and written once when the database accepts it again', async () => {
      const path = fresh();
      const errors: string[] = [];
      let committedFrames = 0;
      const r = await kind.open(path, { flushIntervalMs: 10, onError: (e) => errors.push(e.message), onCommit: (c) => (committedFrames += c.frames) });
      const s = 1;
      r.beginConnection({ connectionId: s, provider: 'demo', dialect: 'schwab', url: 'ws://x' });
      const frames = traffic(11, 200);
      const half = Math.floor(frames.length / 2);
      const m = merging('schwab');
      frames.slice(0, half).forEach((f, i) => r.record(m({ connectionId: s, receivedAt: i, text: f.text, updates: f.updates })));
      while (committedFrames < half) await new Promise((res) => setTimeout(res, 5));

      // Another connection makes every insert into frames fail until the switch is cleared.
      const other = new Database(path);
      other.exec(`CREATE TABLE fail_switch (x); INSERT INTO fail_switch VALUES (1);
        CREATE TRIGGER injected BEFORE INSERT ON frames WHEN EXISTS (SELECT 1 FROM fail_switch) BEGIN SELECT RAISE(ABORT, 'injected failure'); END`);
      frames.slice(half).forEach((f, i) => r.record(m({ connectionId: s, receivedAt: half + i, text: f.text, updates: f.updates })));
      while (errors.length === 0) await new Promise((res) => setTimeout(res, 5));
      assert.match(errors[0]!, /injected failure/);
      assert.ok(r.stats().pendingFrames > 0);
      other.exec('DELETE FROM fail_switch');
      other.close();
      while (committedFrames < frames.length) await new Promise((res) => setTimeout(res, 5));
      r.endConnection(s, 'done');
      await r.close();

      const archived = archivedFrames(path);
      assert.deepEqual(archived.map((f) => f.text), frames.map((f) => f.text));
      const textOf = new Map(archived.map((f) => [f.id, f.text ?? '']));
      const mismatched = query<{ id: number; frame_id: number; key: string }>(path, 'SELECT id, frame_id, key FROM levelone_equities').filter((d) => !textOf.get(d.frame_id)?.includes(d.key));
      assert.deepEqual(mismatched, []);
      assert.equal(query(path, 'SELECT id FROM levelone_equities').length, frames.reduce((k, f) => k + f.updates.length, 0));
      assert.deepEqual(query(path, 'SELECT end_reason FROM sessions'), [{ end_reason: 'done' }]);
    });

    test('latest rows merge with what an earlier run stored', async () => {
      const path = fresh();
      const u = (fields: MarketUpdate['fields']): MarketUpdate => ({ service: 'LEVELONE_EQUITIES', key: 'AAPL', ts: 1, fields, meta: {} });
      const first = await kind.open(path);
      const s1 = 1;
      first.beginConnection({ connectionId: s1, provider: 'demo', dialect: 'schwab', url: 'ws://x' });
      first.record(merging('schwab')({ connectionId: s1, receivedAt: 1, text: 'a', updates: [u({ bid_price: 1, description: 'Apple' })] }));
      await first.close();
      const second = await kind.open(path);
      const s2 = 1;
      second.beginConnection({ connectionId: s2, provider: 'demo', dialect: 'schwab', url: 'ws://x' });
      second.record(merging('schwab')({ connectionId: s2, receivedAt: 2, text: 'b', updates: [u({ ask_price: 2 })] }));
      await second.close();
      assert.deepEqual(query(path, 'SELECT bid_price, ask_price, description, updated_at FROM levelone_equities_latest'), [{ bid_price: 1, ask_price: 2, description: 'Apple', updated_at: 2 }]);
      assert.deepEqual(query(path, 'SELECT frame_id FROM levelone_equities ORDER BY id'), [{ frame_id: 1 }, { frame_id: 2 }]);
    });

    test('a file that is not a Tapedeck database is refused with one line', async () => {
      const other = fresh();
      const db = new Database(other);
      db.exec('CREATE TABLE customers (id INTEGER)');
      db.close();
      await assert.rejects(kind.open(other), (err: Error) => err instanceof RecorderError && /not a Tapedeck one/.test(err.message));
    });

    test('says once when rows pile up faster than its writer commits them, and loses none', async () => {
      const path = fresh();
      const warnings: string[] = [];
      // No timer or size flush during the test: everything waits in memory, as behind a slow disk.
      const r = await kind.open(path, { flushIntervalMs: 3_600_000, maxBatchRows: 1e9, backlogWarningRows: 100, onError: (e) => warnings.push(e.message) });
      const s = 1;
      r.beginConnection({ connectionId: s, provider: 'demo', dialect: 'schwab', url: 'ws://x' });
      const frames = traffic(3, 400);
      const m = merging('schwab');
      for (const f of frames) r.record(m({ connectionId: s, receivedAt: 1, text: f.text, updates: f.updates }));
      assert.equal(warnings.length, 1);
      assert.match(warnings[0]!, /falling behind: \d+ rows are waiting/);
      await r.close();
      assert.equal(query(path, 'SELECT id FROM levelone_equities').length, 400);
    });
  });
}

test('the writer keeps a bounded number of statements prepared and prepares evicted ones again', () => {
  const path = fresh();
  const writer = BatchWriter.open(path, { maxPrepared: 3 });
  const builder = new BatchBuilder();
  const s = 1;
  builder.beginConnection({ connectionId: s, provider: 'demo', dialect: 'schwab', url: 'ws://x' });
  const frames = traffic(5, 30 * ROWS_PER_INSERT);
  const m = merging('schwab');
  frames.forEach((f, i) => {
    builder.add(m({ connectionId: s, receivedAt: 10_000 + i, text: f.text, updates: f.updates }));
    if (i % 7 === 6) writer.write(builder.take());
  });
  writer.write(builder.take(true));
  assert.ok(writer.preparedCount() <= 3, `${writer.preparedCount()} prepared`);
  writer.close();
  assertRowsAreUpdates(path, frames);
});
