/**
 * The sink beside a live recorder, against a real PostgreSQL reached through a relay the test cuts:
 * the recorder keeps committing while the server is away, the sink says so once, says once that it
 * is back (with a count), catches up, and every row lands exactly once, as stored in SQLite.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Recorder } from '../../../electron/node/recorder/recorder.js';
import { parsePgUrl } from '../../../electron/node/sink/pg-url.js';
import type { SinkNotice } from '../../../electron/node/sink/shipper.js';
import { SinkThread } from '../../../electron/node/sink/sink-thread.js';
import type { MarketUpdate } from '../../../shared/market.js';
import { archivedFrames, count, query } from '../../helpers/db.js';
import { testDatabase } from '../../helpers/postgres.js';
import { startTcpProxy } from '../../helpers/tcp-proxy.js';
import { tempDir } from '../../helpers/tmp.js';
import { waitFor, waitForAsync } from '../../helpers/wait.js';

const tmp = tempDir('sink-outage');
/** Bounds on each wait, generous because the machine may be shared (a bound, not a speed assertion). */
const WAIT_MS = 60_000;
after(() => tmp.cleanup());

test('a server that goes away mid-recording: the recorder never waits, the sink catches up, no row twice', async (t) => {
  const db = await testDatabase(t);
  if (!db) return;
  const server = new URL(db.url);
  const proxy = await startTcpProxy(server.hostname, Number(server.port));
  t.after(() => proxy.close());
  const viaProxy = new URL(db.url);
  viaProxy.hostname = '127.0.0.1';
  viaProxy.port = String(proxy.port);

  const path = join(tmp.dir, 'live.db');
  const recorder = await Recorder.openThreaded(path);
  const notices: SinkNotice[] = [];
  const sink = await SinkThread.start(path, parsePgUrl(viaProxy.href), { onNotice: (n) => notices.push(n) });
  let feed: NodeJS.Timeout | undefined;
  // Whatever fails, the feed, the recorder's writer and the sink's thread end with the test.
  t.after(async () => {
    clearInterval(feed);
    await recorder.close().catch(() => undefined);
    await sink.stop(0);
  });

  // A steady feed: text frames, now and then a binary one, each decoding to one level-one update.
  recorder.beginConnection({ connectionId: 1, provider: 'schwab', dialect: 'schwab', url: 'ws://feed' });
  let n = 0;
  const keys = ['AAPL', 'MSFT', 'GOOG', '/ES'];
  feed = setInterval(() => {
    for (let i = 0; i < 100; i++, n++) {
      const receivedAt = Date.now();
      if (n % 97 === 0) recorder.archive({ connectionId: 1, receivedAt, text: '', bytes: Uint8Array.from([0, n & 255, 255]), binary: true });
      else recorder.archive({ connectionId: 1, receivedAt, text: `{"n":${n}}` });
      const u: MarketUpdate = { service: 'LEVELONE_EQUITIES', key: keys[n % 4]!, ts: receivedAt, fields: { bid_price: n / 100, bid_size: n }, meta: {} };
      recorder.decoded({ receivedAt, updates: [u], merged: [u] });
    }
  }, 2);
  const pgRows = async (table: string) => Number((await db.query<{ n: string }>(`SELECT count(*) AS n FROM ${table}`))[0]!.n);

  await waitForAsync('rows in PostgreSQL', async () => (await db.query("SELECT 1 FROM pg_tables WHERE tablename = 'levelone_equities'")).length > 0 && (await pgRows('levelone_equities')) > 1_000, WAIT_MS);
  await proxy.cut();
  await waitFor('the sink to say it is failing', () => notices.some((x) => x.kind === 'failing'), WAIT_MS);
  const shippedWhenCut = await pgRows('levelone_equities');
  // The recorder goes on committing while PostgreSQL is unreachable.
  const committedWhenCut = count(path, 'SELECT count(*) AS n FROM levelone_equities');
  await waitFor('the recorder to commit more while the server is away', () => count(path, 'SELECT count(*) AS n FROM levelone_equities') > committedWhenCut + 5_000, WAIT_MS);
  assert.equal(await pgRows('levelone_equities'), shippedWhenCut, 'nothing reached the server while cut');
  await proxy.restore();
  await waitFor('the sink to say it is back', () => notices.some((x) => x.kind === 'recovered'), WAIT_MS);

  clearInterval(feed);
  recorder.endConnection(1, 'test over');
  await recorder.close();
  const totals = await sink.stop(30_000);
  assert.deepEqual(totals.behind, []);

  // Once each: when it started failing, when it recovered (with how many attempts failed).
  assert.equal(notices.filter((x) => x.kind === 'failing').length, 1, JSON.stringify(notices));
  const recovered = notices.filter((x) => x.kind === 'recovered');
  assert.equal(recovered.length, 1);
  assert.ok(recovered[0]!.kind === 'recovered' && recovered[0]!.failures >= 1);
  assert.match((notices[0] as { message: string }).message, /127\.0\.0\.1/);

  // Every table: the same rows, once each, with the same values.
  const rid = (await db.query<{ recorder_id: string }>('SELECT DISTINCT recorder_id FROM frames'))[0]!.recorder_id;
  assert.equal(rid, sink.recorderId);
  const deltas = query<{ id: number; frame_id: number; received_at: number; key: string; bid_price: number; bid_size: number }>(
    path,
    'SELECT id, frame_id, received_at, key, bid_price, bid_size FROM levelone_equities ORDER BY id',
  );
  const pgDeltas = await db.query<{ id: string; frame_id: string; received_at: string; key: string; bid_price: number; bid_size: string }>(
    'SELECT id, frame_id, received_at, key, bid_price, bid_size FROM levelone_equities ORDER BY id',
  );
  assert.ok(deltas.length > 10_000, `${deltas.length} rows recorded`);
  assert.deepEqual(
    pgDeltas.map((r) => ({ ...r, id: Number(r.id), frame_id: Number(r.frame_id), received_at: Number(r.received_at), bid_size: Number(r.bid_size) })),
    deltas,
  );
  const frames = archivedFrames(path).map((f) => ({ id: f.id, text: f.text, data: f.data ? Buffer.from(f.data) : null, flags: f.flags }));
  const pgFrames = await db.query<{ id: string; text: string | null; data: Buffer | null; flags: string }>('SELECT id, text, data, flags FROM frames ORDER BY id');
  assert.equal(pgFrames.length, frames.length);
  assert.deepEqual(
    pgFrames.map((f) => ({ id: Number(f.id), text: f.text, data: f.data, flags: Number(f.flags) })),
    frames,
  );
  assert.ok(frames.some((f) => f.data !== null), 'binary frames were shipped as bytea');
  const sessions = await db.query<{ id: string; ended_at: string; end_reason: string }>('SELECT id, ended_at, end_reason FROM sessions');
  assert.deepEqual(
    sessions.map((s) => ({ id: Number(s.id), ended_at: Number(s.ended_at), end_reason: s.end_reason })),
    query(path, 'SELECT id, ended_at, end_reason FROM sessions'),
  );
  const marks = await db.query<{ table_name: string; last_id: string }>('SELECT table_name, last_id FROM tapedeck_ship_hwm ORDER BY table_name');
  assert.deepEqual(
    marks.map((m) => [m.table_name, Number(m.last_id)]),
    [
      ['frames', frames.at(-1)!.id],
      ['levelone_equities', deltas.at(-1)!.id],
      ['sessions', 1],
    ],
  );
});
