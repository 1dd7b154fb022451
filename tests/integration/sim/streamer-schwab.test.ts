/**
 * The simulator's Schwab streamer against docs/protocol/schwab.md §3, §4 and §9, over a raw socket.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type SimHandle } from '../../../electron/node/sim/index.js';
import { waitFor } from '../../helpers/wait.js';
import { numbered, RawClient, schwabSession, schwabStream, type Content, type Obj, type SchwabSession } from './sim-client.js';

describe('simulator streamer, Schwab dialect', () => {
  let sim: SimHandle;
  let s: SchwabSession;
  before(async () => {
    sim = await startSimulator({ heartbeatMs: 100, rate: 400 });
    s = await schwabSession(sim);
  });
  after(() => sim.close());

  test('before LOGIN: code 20; a frame that is not JSON: code 21; missing ids: code 21 and the socket closes', async () => {
    const c = await RawClient.open(s.socketUrl);
    c.send({ service: 'LEVELONE_EQUITIES', command: 'SUBS', requestid: '1', ...s.ids, parameters: { keys: 'AAPL', fields: '0,1' } });
    assert.equal((await c.response('1')).code, 20);
    c.sendText('this is not json');
    await waitFor('the code 21', () => c.responses().find((r) => (r.content as Content).code === 21));
    assert.equal(c.closed, false);
    c.send({ service: 'ADMIN', command: 'LOGIN', requestid: '2', parameters: { Authorization: s.accessToken } });
    assert.deepEqual(await c.response('2'), { code: 21, msg: 'Bad command formatting' });
    await c.whenClosed();
  });

  test('a forged token or someone else’s ids are denied with code 3 and the socket closes', async () => {
    const forged = await RawClient.open(s.socketUrl);
    forged.send({ service: 'ADMIN', command: 'LOGIN', requestid: '1', ...s.ids, parameters: { Authorization: 'forged', SchwabClientChannel: 'N9', SchwabClientFunctionId: 'APIAPP' } });
    assert.deepEqual(await forged.response('1'), { code: 3, msg: 'Login Denied.: token is invalid or has expired.' });
    await forged.whenClosed();

    const other = await schwabSession(sim, 'someone-else');
    const mixed = await RawClient.open(s.socketUrl);
    mixed.send({ service: 'ADMIN', command: 'LOGIN', requestid: '1', ...other.ids, parameters: { Authorization: s.accessToken } });
    assert.equal((await mixed.response('1')).code, 3);
    await mixed.whenClosed();
  });

  test('deny-login refuses a valid LOGIN until cleared', async () => {
    sim.trigger('deny-login');
    const denied = await RawClient.open(s.socketUrl);
    denied.send({ service: 'ADMIN', command: 'LOGIN', requestid: '1', ...s.ids, parameters: { Authorization: s.accessToken } });
    assert.equal((await denied.response('1')).code, 3);
    await denied.whenClosed();
    sim.clearFault('deny-login');
    const { c } = await schwabStream(s);
    c.close();
  });

  test('LOGIN: server/status msg, requestid echoed as a string, correl id and timestamp on every response, heartbeats', async () => {
    const c = await RawClient.open(s.socketUrl);
    // A bare request object, without the requests wrapper, is accepted on Schwab (docs/protocol/schwab.md §3.2).
    c.sendText(JSON.stringify({ service: 'ADMIN', command: 'LOGIN', requestid: 7, ...s.ids, parameters: { Authorization: s.accessToken } }));
    assert.equal((await c.response('7')).code, 0);
    const login = c.responses()[0]!;
    assert.match((login.content as Content).msg, /^server=[\w-]+;status=(NP|PN|PP)$/);
    assert.equal(login.requestid, '7');
    assert.equal(login.SchwabClientCorrelId, s.ids.SchwabClientCorrelId);
    assert.equal(typeof login.timestamp, 'number');
    // One heartbeat right after the LOGIN response, then one per period.
    const loginFrame = c.frames.findIndex((f) => f.json?.response !== undefined);
    await waitFor('the heartbeat after LOGIN', () => c.heartbeats() >= 1);
    assert.ok(c.frames[loginFrame + 1]?.json?.notify?.[0]?.heartbeat, 'the frame right after the LOGIN response is a heartbeat');
    await waitFor('more heartbeats', () => c.heartbeats() >= 3);
    const beat = c.entries('notify').find((n) => n.heartbeat)!;
    assert.match(String(beat.heartbeat), /^\d{13}$/);
    c.close();
  });

  test('SUBS: the first item is full with metadata, later items carry only changed subscribed fields', async () => {
    const { c, req } = await schwabStream(s);
    const subs = req('LEVELONE_EQUITIES', 'SUBS', { keys: 'AAPL', fields: '0,1,2,3,4,5,8,15,33' });
    c.send(subs);
    assert.deepEqual(await c.response(subs.requestid), { code: 0, msg: 'SUBS command succeeded' });
    const items = await c.itemsUntil('LEVELONE_EQUITIES', 4);
    const [first, ...rest] = items;
    assert.equal(first!.key, 'AAPL');
    assert.equal(first!.delayed, false);
    assert.equal(first!.assetMainType, 'EQUITY');
    assert.equal(first!.assetSubType, 'COE');
    assert.equal(first!.cusip, '037833100');
    assert.equal(first!['15'], 'Apple Inc');
    assert.deepEqual(numbered(first!).sort((a, b) => +a - +b), ['1', '2', '3', '4', '5', '8', '15', '33']);
    assert.ok(!('0' in first!), 'field 0 travels as key');
    for (const item of rest) {
      assert.ok(numbered(item).length >= 1 && numbered(item).length < numbered(first!).length, JSON.stringify(item));
      assert.ok(!('assetMainType' in item) && !('15' in item), 'no metadata or fixed fields in a delta');
      assert.ok(numbered(item).every((k) => ['1', '2', '3', '4', '5', '8', '33'].includes(k)), 'only subscribed fields');
    }
    const data = c.entries('data')[0]!;
    assert.equal(data.command, 'SUBS');
    assert.equal(typeof data.timestamp, 'number');
    c.close();
  });

  test('ADD, UNSUBS and VIEW as observed in the data', async () => {
    const { c, req } = await schwabStream(s);
    const subs = req('LEVELONE_EQUITIES', 'SUBS', { keys: 'AAPL', fields: '0,1,2,3' });
    c.send(subs);
    await c.response(subs.requestid);
    await c.itemsUntil('LEVELONE_EQUITIES', 2);

    const add = req('LEVELONE_EQUITIES', 'ADD', { keys: 'MSFT', fields: '0,8' });
    c.send(add);
    assert.deepEqual(await c.response(add.requestid), { code: 0, msg: 'ADD command succeeded' });
    const msft = await c.itemsUntil('LEVELONE_EQUITIES', 1, (i) => i.key === 'MSFT');
    assert.equal(msft[0]!.assetMainType, 'EQUITY', 'an added key starts with a full item');
    assert.ok('8' in msft[0]! && '1' in msft[0]!, 'ADD unions the fields');
    await c.itemsUntil('LEVELONE_EQUITIES', 1, (i) => i.key === 'AAPL' && '8' in i);
    assert.equal(c.items('LEVELONE_EQUITIES').filter((i) => i.key === 'AAPL' && 'assetMainType' in i).length, 1, 'AAPL is not restarted by ADD');

    const unsubs = req('LEVELONE_EQUITIES', 'UNSUBS', { keys: 'AAPL' });
    c.send(unsubs);
    assert.deepEqual(await c.response(unsubs.requestid), { code: 0, msg: 'UNSUBS command succeeded' });
    const afterUnsubs = c.frames.findIndex((f) => f.json?.response?.some((r) => r.requestid === unsubs.requestid));
    await waitFor('MSFT items after UNSUBS', () => c.items('LEVELONE_EQUITIES', afterUnsubs + 1).filter((i) => i.key === 'MSFT').length >= 3);
    assert.ok(c.items('LEVELONE_EQUITIES', afterUnsubs + 1).every((i) => i.key !== 'AAPL'), 'no AAPL after UNSUBS');

    const view = req('LEVELONE_EQUITIES', 'VIEW', { fields: '0,3,15' });
    c.send(view);
    assert.deepEqual(await c.response(view.requestid), { code: 0, msg: 'VIEW command succeeded' });
    const afterView = c.frames.findIndex((f) => f.json?.response?.some((r) => r.requestid === view.requestid));
    const viewed = await waitFor('items after VIEW', () => {
      const got = c.items('LEVELONE_EQUITIES', afterView + 1);
      return got.length >= 3 ? got : null;
    });
    assert.ok(viewed.every((i) => numbered(i).every((k) => k === '3' || k === '15')), 'only the viewed fields');
    assert.equal(viewed.filter((i) => i['15'] === 'Microsoft Corp').length, 1, 'a field added by VIEW is sent once');
    c.close();
  });

  test('failures: 22/24 without fields, 11 for an unknown service and TIMESALE, 21 for unknown commands, QOS and ACCT_ACTIVITY ADD', async () => {
    const { c, req } = await schwabStream(s);
    const cases: [Obj & { requestid: string }, Content][] = [
      [req('CHART_EQUITY', 'SUBS', { keys: 'AAPL' }), { code: 22, msg: 'SUBS command failed' }],
      [req('CHART_EQUITY', 'ADD', { keys: 'AAPL' }), { code: 24, msg: 'ADD command failed' }],
      [req('NO_SUCH_SERVICE', 'SUBS', { keys: 'AAPL', fields: '0,1' }), { code: 11, msg: 'Service not available or temporary down' }],
      [req('TIMESALE_EQUITY', 'SUBS', { keys: 'AAPL', fields: '0,1' }), { code: 11, msg: 'Service not available or temporary down' }],
      [req('LEVELONE_EQUITIES', 'FROB', { keys: 'AAPL', fields: '0,1' }), { code: 21, msg: 'Bad command formatting' }],
      [req('ADMIN', 'QOS', { qoslevel: '0' }), { code: 21, msg: 'Bad command formatting' }],
      [req('ACCT_ACTIVITY', 'ADD', { keys: 'x', fields: '0,1,2,3' }), { code: 21, msg: 'Bad command formatting' }],
    ];
    // Several requests in one frame get one response entry each.
    c.send(...cases.map(([r]) => r));
    for (const [r, expected] of cases) assert.deepEqual(await c.response(r.requestid), expected, String(r.service));
    assert.equal(c.closed, false);
    c.close();
  });

  test('a per-service cap answers code 19 with the two-space message and keeps the accepted keys', async () => {
    const { c, req } = await schwabStream(s);
    const keys = Array.from({ length: 305 }, (_, i) => `Q${String.fromCharCode(65 + (i % 26))}${String.fromCharCode(65 + Math.floor(i / 26))}`);
    const subs = req('CHART_EQUITY', 'SUBS', { keys: keys.join(','), fields: '0,1,2,3,4,5,6,7,8' });
    c.send(subs);
    assert.deepEqual(await c.response(subs.requestid), { code: 19, msg: "You've reached the maximum number of symbols allowed.  (CHART_EQUITY=300, DISCARDED=5)" });
    const bars = await c.itemsUntil('CHART_EQUITY', 300, () => true, 10_000);
    const streamed = new Set(bars.map((b) => b.key));
    assert.equal(streamed.size, 300);
    assert.ok(!streamed.has(keys[304]!), 'discarded keys do not stream');
    c.close();
  });

  test('a second LOGIN for the same user sends code 12 to the older connection and closes it', async () => {
    const older = await schwabStream(s);
    const newer = await schwabStream(s);
    const notice = await older.c.notice(12);
    assert.equal(notice.service, 'ADMIN');
    assert.match((notice.content as Content).msg, /^CLOSE_CONNECTION/);
    await older.c.whenClosed();
    const subs = newer.req('LEVELONE_EQUITIES', 'SUBS', { keys: 'IBM', fields: '0,3' });
    newer.c.send(subs);
    assert.equal((await newer.c.response(subs.requestid)).code, 0);
    assert.equal(newer.c.closed, false);
    newer.c.close();
  });

  test('LOGOUT answers SUCCESS and the server closes the socket; stats record every command', async () => {
    const { c, req } = await schwabStream(s);
    const subs = req('LEVELONE_FUTURES', 'SUBS', { keys: '/ES', fields: '0,1,2,3' });
    c.send(subs);
    await c.response(subs.requestid);
    const logout = req('ADMIN', 'LOGOUT');
    c.send(logout);
    assert.deepEqual(await c.response(logout.requestid), { code: 0, msg: 'SUCCESS' });
    await c.whenClosed();
    const recorded = sim.stats().commands.find((r) => r.service === 'LEVELONE_FUTURES' && r.command === 'SUBS');
    assert.ok(recorded);
    assert.equal(recorded.dialect, 'schwab');
    assert.deepEqual(recorded.keys, ['/ES']);
    assert.deepEqual(recorded.fields, ['0', '1', '2', '3']);
    assert.ok(sim.stats().commands.some((r) => r.service === 'ADMIN' && r.command === 'LOGOUT'));
  });
});

describe('simulator streamer, empty subscriptions', () => {
  let sim: SimHandle;
  let s: SchwabSession;
  before(async () => {
    sim = await startSimulator({ emptySubscriptionTimeoutMs: { schwab: 300, tdameritrade: 300 } });
    s = await schwabSession(sim);
  });
  after(() => sim.close());

  test('nothing subscribed after LOGIN: notify code 30, then the socket is dropped', async () => {
    const { c } = await schwabStream(s);
    const notice = await c.notice(30);
    assert.deepEqual(notice.content, { code: 30, msg: 'Stop streaming due to empty subscription' });
    assert.equal(notice.service, 'ADMIN');
    await c.whenClosed();
  });

  test('the timer restarts after the last UNSUBS', async () => {
    const { c, req } = await schwabStream(s);
    const subs = req('LEVELONE_EQUITIES', 'SUBS', { keys: 'AAPL', fields: '0,1' });
    c.send(subs);
    await c.response(subs.requestid);
    const unsubs = req('LEVELONE_EQUITIES', 'UNSUBS', { keys: 'AAPL' });
    c.send(unsubs);
    await c.response(unsubs.requestid);
    const at = c.frames.length;
    await c.notice(30);
    assert.ok(c.frames.slice(at).some((f) => f.json?.notify?.some((n) => (n.content as Content | undefined)?.code === 30)));
    await c.whenClosed();
  });
});
