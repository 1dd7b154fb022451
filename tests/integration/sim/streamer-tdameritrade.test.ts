/**
 * The simulator's TD Ameritrade streamer against docs/protocol/tdameritrade.md §3, §4, §7 and §8, over a raw socket.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type SimHandle } from '../../../electron/node/sim/index.js';
import { waitFor } from '../../helpers/wait.js';
import {
  RawClient, TD_CLIENT_ID, allFields, numbered, tdCredential, tdPrincipals, tdSession, tdStream, tdToken,
  type Content, type Obj, type TdSession,
} from './sim-client.js';

describe('simulator streamer, TD Ameritrade dialect', () => {
  let sim: SimHandle;
  let s: TdSession;
  before(async () => {
    sim = await startSimulator({ heartbeatMs: 100, rate: 400 });
    s = await tdSession(sim);
  });
  after(() => sim.close());

  const loginRequest = (credential: string, requestid = '0') => ({
    service: 'ADMIN', requestid, command: 'LOGIN', account: s.accountId, source: s.appId, parameters: { credential, token: s.token, version: '1.0' },
  });

  test('a request before LOGIN is refused with code 3 "Please login first"', async () => {
    const c = await RawClient.open(s.socketUrl);
    c.send({ service: 'QUOTE', requestid: '1', command: 'SUBS', account: s.accountId, source: s.appId, parameters: { keys: 'AAPL', fields: '0,1' } });
    assert.deepEqual(await c.response('1'), { code: 3, msg: 'Login Denied. - Please login first.' });
    c.close();
  });

  test('a credential that does not match the principals is denied with code 3 and the socket closes', async () => {
    const q = new URLSearchParams(s.credential);
    for (const [field, value] of [['token', '0'.repeat(40)], ['timestamp', '1590113568000'], ['acl', 'XX'], ['authorized', 'N']] as const) {
      const bad = new URLSearchParams(q);
      bad.set(field, value);
      const c = await RawClient.open(s.socketUrl);
      c.send(loginRequest(bad.toString()));
      assert.deepEqual(await c.response('0'), { code: 3, msg: 'Login Denied.' }, field);
      await c.whenClosed();
    }
  });

  test('LOGIN accepts the credential encoded once or (as in the doc sample) twice; msg is a server id', async () => {
    for (const credential of [s.credential, encodeURIComponent(s.credential)]) {
      const c = await RawClient.open(s.socketUrl);
      c.send(loginRequest(credential, '5'));
      const ok = await c.response('5');
      assert.equal(ok.code, 0);
      assert.match(ok.msg, /^\d\d-\d$/);
      const entry = c.responses()[0]!;
      assert.deepEqual(Object.keys(entry).sort(), ['command', 'content', 'requestid', 'service', 'timestamp']);
      c.close();
      await c.whenClosed();
    }
  });

  test('heartbeats arrive as epoch-ms strings every period', async () => {
    const { c } = await tdStream(s);
    await waitFor('three heartbeats', () => c.heartbeats() >= 3);
    assert.ok(c.entries('notify').filter((n) => n.heartbeat).every((n) => /^\d{13}$/.test(String(n.heartbeat))));
    c.close();
  });

  test('QOS sets the conflation interval: at most one item per key per interval, metadata on every item', async () => {
    const { c, req } = await tdStream(s);
    const bad = req('ADMIN', 'QOS', { qoslevel: '9' });
    c.send(bad);
    assert.equal((await c.response(bad.requestid)).code, 21);
    const qos = req('ADMIN', 'QOS', { qoslevel: '0' });
    c.send(qos);
    assert.deepEqual(await c.response(qos.requestid), { code: 0, msg: 'QoS command succeeded. Set qoslevel=0' });
    const subs = req('QUOTE', 'SUBS', { keys: 'AAPL,MSFT', fields: allFields(52) });
    c.send(subs);
    assert.deepEqual(await c.response(subs.requestid), { code: 0, msg: 'SUBS command succeeded' });
    await waitFor('several AAPL updates', () => c.items('QUOTE').filter((i) => i.key === 'AAPL').length >= 4);
    const stamps = c.entries('data')
      .filter((e) => e.service === 'QUOTE' && (e.content as Obj[]).some((i) => i.key === 'AAPL'))
      .map((e) => e.timestamp as number);
    for (let i = 1; i < stamps.length; i++) assert.ok(stamps[i]! - stamps[i - 1]! >= 500, `items ${stamps[i]! - stamps[i - 1]!} ms apart`);
    for (const item of c.items('QUOTE')) {
      assert.equal(item.delayed, false);
      assert.equal(item.assetMainType, 'EQUITY');
      assert.match(String(item.cusip), /^[0-9A-Z]{9}$/);
    }
    const first = c.items('QUOTE').find((i) => i.key === 'AAPL')!;
    assert.equal(first['25'], 'Apple Inc');
    // TD QUOTE clocks are seconds since midnight ET (docs/protocol/tdameritrade.md §5.1).
    assert.ok(Number(first['10']) >= 0 && Number(first['10']) < 86_400);
    c.close();
  });

  test('ACCT_ACTIVITY starts with a SUBSCRIBED item for the streamer key, ERROR INVALID_KEY otherwise', async () => {
    const { c, req } = await tdStream(s);
    const subs = req('ACCT_ACTIVITY', 'SUBS', { keys: s.subscriptionKey, fields: '0,1,2,3' });
    c.send(subs);
    assert.equal((await c.response(subs.requestid)).code, 0);
    const [item] = await c.itemsUntil('ACCT_ACTIVITY', 1);
    assert.deepEqual(item, { seq: 0, key: s.subscriptionKey, '1': s.accountId, '2': 'SUBSCRIBED', '3': '' });
    const wrong = req('ACCT_ACTIVITY', 'SUBS', { keys: 'not-my-key', fields: '0,1,2,3' });
    c.send(wrong);
    await c.response(wrong.requestid);
    const [error] = await c.itemsUntil('ACCT_ACTIVITY', 1, (i) => i.key === 'not-my-key');
    assert.equal(error!['2'], 'ERROR');
    assert.equal(error!['3'], 'INVALID_KEY');
    c.close();
  });

  test('codes 11 (with the TD full stop), 21 for ADMIN SUBS and 22 without fields; unknown-format keys get "Symbol not found"', async () => {
    const { c, req } = await tdStream(s);
    const book = req('FUTURES_BOOK', 'SUBS', { keys: '/ES', fields: '0,1,2,3' });
    const admin = req('ADMIN', 'SUBS', { qoslevel: '1' });
    const noFields = req('QUOTE', 'SUBS', { keys: 'AAPL' });
    c.send(book, admin, noFields);
    assert.deepEqual(await c.response(book.requestid), { code: 11, msg: 'Service not available or temporary down.' });
    assert.deepEqual(await c.response(admin.requestid), { code: 21, msg: 'Bad command formatting' });
    assert.deepEqual(await c.response(noFields.requestid), { code: 22, msg: 'SUBS command failed' });

    const fut = req('LEVELONE_FUTURES', 'SUBS', { keys: '/es', fields: allFields(35) });
    c.send(fut);
    assert.equal((await c.response(fut.requestid)).code, 0);
    const [notFound] = await c.itemsUntil('LEVELONE_FUTURES', 1);
    assert.equal(notFound!.key, '/es');
    assert.equal(notFound!['16'], 'Symbol not found');
    assert.ok(numbered(notFound!).every((k) => typeof notFound![k] === 'string'), 'placeholders only, no numbers');
    c.close();
  });

  test('CHART_HISTORY_FUTURES GET answers in a snapshot envelope with candles', async () => {
    const { c, req } = await tdStream(s);
    const get = { ...req('CHART_HISTORY_FUTURES', 'GET', { symbol: '/ES', frequency: 'm5', period: 'd1' }), requestid: '42' };
    c.send(get);
    const snap = await waitFor('the snapshot', () => c.entries('snapshot')[0]);
    assert.equal(snap.service, 'CHART_HISTORY_FUTURES');
    assert.equal(snap.command, 'GET');
    const content = (snap.content as Obj[])[0]!;
    assert.equal(content.key, '/ES');
    assert.equal(content['0'], '42');
    const candles = content['3'] as Record<string, number>[];
    assert.equal(content['2'], candles.length);
    // A day of 5-minute candles over the Globex sessions (the 17:00-18:00 ET pause and weekends have none).
    assert.ok(candles.length >= 100 && candles.length <= 289, String(candles.length));
    for (let i = 1; i < candles.length; i++) {
      assert.equal(candles[i]!['0']! % 300_000, 0);
      assert.ok(candles[i]!['0']! > candles[i - 1]!['0']!);
    }
    for (const k of candles) assert.ok(k['2']! >= Math.max(k['1']!, k['4']!) && k['3']! <= Math.min(k['1']!, k['4']!));
    c.close();
  });

  test('a second LOGIN for the same user: code 12 from "Invalid Service" to the older connection, which closes', async () => {
    const older = await tdStream(s);
    const newer = await tdStream(s);
    const notice = await older.c.notice(12);
    assert.equal(notice.service, 'Invalid Service');
    assert.equal((notice.content as Content).msg, 'This Streamer was disconnected because of another connection for this username and password. Each user may only have one Streamer open at a time.');
    await older.c.whenClosed();
    assert.equal(newer.c.closed, false);
    newer.c.close();
  });

  test('expire-token: principals 401 and LOGIN denied until a refresh grant, then a fresh credential works', async () => {
    sim.trigger('expire-token');
    const principals = await fetch(`${sim.url}/v1/userprincipals?fields=streamerConnectionInfo`, { headers: { Authorization: `Bearer ${s.accessToken}` } });
    assert.equal(principals.status, 401);
    const stale = await RawClient.open(s.socketUrl);
    stale.send(loginRequest(s.credential));
    assert.equal((await stale.response('0')).code, 3);
    await stale.whenClosed();

    const refreshed = (await (await tdToken(sim, { grant_type: 'refresh_token', refresh_token: s.refreshToken, client_id: TD_CLIENT_ID, access_type: 'offline' })).json()) as Record<string, string>;
    const p = await tdPrincipals(sim, refreshed.access_token!);
    const fresh = await RawClient.open(s.socketUrl);
    fresh.send({ ...loginRequest(tdCredential(p)), parameters: { credential: tdCredential(p), token: (p.streamerInfo as Record<string, string>).token, version: '1.0' } });
    assert.equal((await fresh.response('0')).code, 0);
    fresh.close();
    s = { ...s, accessToken: refreshed.access_token!, refreshToken: refreshed.refresh_token!, credential: tdCredential(p), token: (p.streamerInfo as Record<string, string>).token! };
  });
});
