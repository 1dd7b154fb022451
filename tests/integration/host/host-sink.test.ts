/**
 * The app's "Ship to PostgreSQL" setting (README "Settings"), through the real host on the demo
 * recording and a real PostgreSQL: a bad URL is refused and nothing saved; a good one is kept with
 * the secrets (never in settings.json, never shown or said with its password), and the sink ships
 * the file being recorded into, says what it is doing, restarts for a new file (daily files), and
 * drains when the app closes, so PostgreSQL then holds every row of the file. A server that cannot
 * be reached shows as failing with its reason, the recording going on.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import type { Events, EventName } from '../../../shared/api.js';
import type { SinkStatus } from '../../../shared/sink-status.js';
import { EncryptedFileStore, PLAINTEXT } from '../../../electron/node/host/encrypted-file-store.js';
import type { Host } from '../../../electron/node/host/host.js';
import { countRows } from '../../helpers/db.js';
import { startTestHost } from '../../helpers/host.js';
import { testDatabase } from '../../helpers/postgres.js';
import { tempDir } from '../../helpers/tmp.js';
import { waitFor, waitForAsync } from '../../helpers/wait.js';

/** A bound on each wait, generous for a shared machine (never a speed assertion). */
const WAIT_MS = 60_000;
const DEMO = { rate: 1000, barMs: 200, seed: 7 };

/** A host on `dir` keeping its secrets the way `serve` does (a 0600 file), with everything it says collected. */
async function startHost(dir: string, now?: () => number): Promise<{ host: Host; said: string[] }> {
  const host = await startTestHost(dir, DEMO, { secrets: new EncryptedFileStore(join(dir, 'secrets.json'), PLAINTEXT), now });
  const said: string[] = [];
  host.on(<K extends EventName>(name: K, payload: Events[K]) => {
    if (name !== 'engine:quotes') said.push(JSON.stringify(payload));
  });
  return { host, said };
}

const sinkOf = async (host: Host): Promise<SinkStatus> => (await host.invoke('app:snapshot', null)).status.sink!;

test('the sink setting: refused when bad, kept masked, ships the recording, follows a new file, drains on close', async (t) => {
  const pg = await testDatabase(t);
  if (!pg) return;
  const password = new URL(pg.url).password;
  assert.ok(password, 'the test server has a password to keep secret');
  const { dir, cleanup } = tempDir('host-sink');
  t.after(cleanup);
  let { host, said } = await startHost(dir);
  let open = true;
  t.after(async () => {
    if (open) await host.close();
  });
  const db = (await host.invoke('app:about', null)).dbPath;
  assert.equal((await sinkOf(host)).state, 'off');

  // A bad URL: refused with the reason, the password masked in it, and nothing saved.
  await assert.rejects(host.invoke('settings:save', { sink: { url: 'postgres://me:hunter2@/nodb', enabled: true } }), (err: Error) => {
    assert.match(err.message, /PostgreSQL URL: 'postgres:\/\/me:\*\*\*@\/nodb' is not a URL/);
    assert.doesNotMatch(err.message, /hunter2/);
    return true;
  });
  await assert.rejects(host.invoke('settings:save', { sink: { url: 'http://example.com/db' } }), /not a postgres:\/\/ or postgresql:\/\/ URL/);
  assert.deepEqual((await host.invoke('settings:get', null)).sink, { enabled: false, url: '' });

  const view = await host.invoke('settings:save', { sink: { url: pg.url, enabled: true } });
  assert.equal(view.sink.enabled, true);
  assert.equal(view.sink.url, pg.url.replace(`:${password}@`, ':***@'), 'the URL is shown with its password masked');

  const shipped = await waitForAsync('rows of the demo recording in PostgreSQL', async () => {
    const [r] = await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM levelone_equities').catch(() => [{ n: 0 }]);
    return r!.n > 100 ? r!.n : null;
  }, WAIT_MS);
  assert.ok(shipped > 100);
  const sink = await waitForAsync('the sink counted what is behind', async () => {
    const s = await sinkOf(host);
    return s.behindRows !== null && s.shippedRows > 0 ? s : null;
  }, WAIT_MS);
  assert.equal(sink.state, 'shipping');
  assert.equal(sink.file, db);
  assert.equal(sink.target, view.sink.url);
  const [{ recorder_id: recorderId }] = (await pg.query<{ recorder_id: string }>('SELECT DISTINCT recorder_id FROM levelone_equities')) as [{ recorder_id: string }];
  assert.equal(sink.recorderId, recorderId, 'the status names the recorder id the rows carry');

  // The password is in the secrets file only: not in settings.json, not in anything the host said.
  assert.doesNotMatch(readFileSync(join(dir, 'settings.json'), 'utf8'), new RegExp(password));
  assert.match(readFileSync(join(dir, 'secrets.json'), 'utf8'), new RegExp(password));
  assert.ok(said.some((s) => s.includes(`as recorder ${recorderId}`)), 'the window is told the sink started');
  assert.equal(said.filter((s) => s.includes(password)).length, 0, 'no event carries the password');

  // Daily files: the recorder reopens on today's file and the sink follows it, as a new recorder.
  await host.invoke('settings:save', { storage: { rotate: 'daily', retainDays: null, minFreeMb: 0, typedRows: true } });
  const daily = (await host.invoke('app:about', null)).dbPath;
  assert.notEqual(daily, db);
  const dailySink = await waitForAsync('the sink on the daily file', async () => {
    const s = await sinkOf(host);
    return s.file === daily && s.state === 'shipping' && s.shippedRows > 0 ? s : null;
  }, WAIT_MS);
  assert.notEqual(dailySink.recorderId, recorderId);
  // The old file was drained when it closed: PostgreSQL holds every one of its rows.
  const [{ n: fromOld }] = (await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM levelone_equities WHERE recorder_id = $1', [recorderId])) as [{ n: number }];
  assert.equal(fromOld, countRows(db, 'levelone_equities'));

  // Closing the app drains the sink after the recorder's last commit: every row of the file is there.
  await host.close();
  open = false;
  const [{ n: fromDaily }] = (await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM levelone_equities WHERE recorder_id = $1', [dailySink.recorderId])) as [{ n: number }];
  assert.equal(fromDaily, countRows(daily, 'levelone_equities'));

  // The next launch keeps the setting (URL masked) and ships again, resuming the same recorder's rows.
  ({ host, said } = await startHost(dir));
  open = true;
  assert.deepEqual((await host.invoke('settings:get', null)).sink, { enabled: true, url: view.sink.url });
  await waitForAsync('shipping again after a restart', async () => {
    const s = await sinkOf(host);
    return s.state === 'shipping' && s.recorderId === dailySink.recorderId && s.shippedRows > 0;
  }, WAIT_MS);

  // Switched off: the sink stops, the recording goes on.
  await host.invoke('settings:save', { sink: { enabled: false } });
  await waitForAsync('the sink off', async () => (await sinkOf(host)).state === 'off', WAIT_MS);
  assert.equal((await host.invoke('app:snapshot', null)).status.recording, true);
});

test('a server that cannot be reached: the sink says it is failing and why, and recording goes on', async (t) => {
  const pg = await testDatabase(t);
  if (!pg) return;
  const { dir, cleanup } = tempDir('host-sink-down');
  t.after(cleanup);
  const { host } = await startHost(dir);
  t.after(() => host.close());
  // Port 1 on loopback: nothing listens there, so every attempt is refused at once.
  const down = new URL(pg.url);
  down.port = '1';
  await host.invoke('settings:save', { sink: { url: down.href, enabled: true } });
  const sink = await waitForAsync('the failing state', async () => {
    const s = await sinkOf(host);
    return s.state === 'failing' ? s : null;
  }, WAIT_MS);
  assert.match(sink.detail ?? '', /refused|ECONNREFUSED/i);
  assert.doesNotMatch(JSON.stringify(sink), new RegExp(new URL(pg.url).password));
  const db = (await host.invoke('app:about', null)).dbPath;
  const before = countRows(db, 'levelone_equities');
  await waitFor('rows recorded meanwhile', () => countRows(db, 'levelone_equities') > before + 50, WAIT_MS);
  const behind = await waitForAsync('rows counted as behind', async () => (await sinkOf(host)).behindRows, WAIT_MS);
  assert.ok(behind > 0, `${behind} rows behind while the server is away`);
});

test('midnight: the sink moves to the new daily file once it takes over, and the old file is shipped in full', async (t) => {
  const pg = await testDatabase(t);
  if (!pg) return;
  const { dir, cleanup } = tempDir('host-sink-midnight');
  t.after(cleanup);
  // The recorder's clock, moved a day ahead below: the next update goes into tomorrow's file.
  let ahead = 0;
  const { host } = await startHost(dir, () => Date.now() + ahead);
  t.after(() => host.close());
  await host.invoke('settings:save', { storage: { rotate: 'daily', retainDays: null, minFreeMb: 0, typedRows: true }, sink: { url: pg.url, enabled: true } });
  const today = await waitForAsync('shipping today\'s file', async () => {
    const s = await sinkOf(host);
    return s.state === 'shipping' && s.shippedRows > 0 ? s : null;
  }, WAIT_MS);
  assert.match(today.file ?? '', /tapedeck-demo-\d{4}-\d{2}-\d{2}\.db$/);

  ahead = 24 * 3600_000;
  const tomorrow = await waitForAsync('shipping the next day\'s file', async () => {
    const s = await sinkOf(host);
    return s.file !== today.file && s.state === 'shipping' && s.shippedRows > 0 ? s : null;
  }, WAIT_MS);
  assert.notEqual(tomorrow.recorderId, today.recorderId, 'a new file is a new recorder');
  // The old file was closed before its sink stopped: every one of its rows is in PostgreSQL.
  const [{ n }] = (await pg.query<{ n: number }>('SELECT count(*)::int AS n FROM levelone_equities WHERE recorder_id = $1', [today.recorderId])) as [{ n: number }];
  assert.equal(n, countRows(today.file!, 'levelone_equities'));
  assert.ok(n > 0);
});
