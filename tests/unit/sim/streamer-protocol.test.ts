/**
 * The simulator's server behaviour, spoken to with a raw WebSocket (not our client): what the
 * references say the broker does, independent of how Tapedeck's client behaves.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import WebSocket from 'ws';
import { startSimulator, type SimHandle } from '../../../electron/core/sim/index.js';
import { simTokens } from '../../helpers/engine-harness.js';
import { waitFor } from '../../helpers/wait.js';

type Frame = Record<string, unknown[]>;

class RawClient {
  readonly frames: Frame[] = [];
  closed = false;
  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => this.frames.push(JSON.parse(d.toString()) as Frame));
    ws.on('close', () => (this.closed = true));
  }
  static async open(url: string): Promise<RawClient> {
    const ws = new WebSocket(url);
    await new Promise((r, j) => ws.once('open', r).once('error', j));
    return new RawClient(ws);
  }
  send(requests: unknown[]): void {
    this.ws.send(JSON.stringify({ requests }));
  }
  responses(): Record<string, unknown>[] {
    return this.frames.flatMap((f) => (f.response ?? []) as Record<string, unknown>[]);
  }
  data(service: string): Record<string, unknown>[] {
    return this.frames.flatMap((f) => ((f.data ?? []) as { service: string; content: Record<string, unknown>[] }[]).filter((e) => e.service === service).flatMap((e) => e.content));
  }
  async response(requestid: string): Promise<{ code: number; msg: string }> {
    const r = await waitFor(`response ${requestid}`, () => this.responses().find((x) => x.requestid === requestid));
    return r.content as { code: number; msg: string };
  }
}

describe('simulator streamer (schwab dialect)', () => {
  let sim: SimHandle;
  let ids: Record<string, string>;
  let token = '';
  before(async () => {
    sim = await startSimulator({ heartbeatMs: 100, rate: 500, emptySubscriptionTimeoutMs: { schwab: 300, tdameritrade: 300 } });
    token = (await simTokens(sim, 'schwab')).access_token;
    const pref = (await (await fetch(`${sim.url}/trader/v1/userPreference`, { headers: { Authorization: `Bearer ${token}` } })).json()) as { streamerInfo: Record<string, string>[] };
    const info = pref.streamerInfo[0]!;
    ids = { SchwabClientCustomerId: info.schwabClientCustomerId!, SchwabClientCorrelId: info.schwabClientCorrelId! };
  });
  after(() => sim.close());

  const login = (c: RawClient, id = '0') =>
    c.send([{ service: 'ADMIN', command: 'LOGIN', requestid: id, ...ids, parameters: { Authorization: token, SchwabClientChannel: 'N9', SchwabClientFunctionId: 'APIAPP' } }]);

  test('commands before LOGIN are refused with code 20; missing ids with 21 and a close', async () => {
    const c = await RawClient.open(`${sim.url.replace('http', 'ws')}/ws`);
    c.send([{ service: 'LEVELONE_EQUITIES', command: 'SUBS', requestid: '7', ...ids, parameters: { keys: 'AAPL', fields: '0,1' } }]);
    assert.equal((await c.response('7')).code, 20);
    c.send([{ service: 'ADMIN', command: 'LOGIN', requestid: '8', parameters: {} }]);
    assert.equal((await c.response('8')).code, 21);
    await waitFor('close', () => c.closed);
  });

  test('a bad token is denied with code 3 and the socket closed', async () => {
    const c = await RawClient.open(`${sim.url.replace('http', 'ws')}/ws`);
    c.send([{ service: 'ADMIN', command: 'LOGIN', requestid: '1', ...ids, parameters: { Authorization: 'forged', SchwabClientChannel: 'N9', SchwabClientFunctionId: 'APIAPP' } }]);
    const r = await c.response('1');
    assert.equal(r.code, 3);
    assert.match(r.msg, /Login Denied/);
    await waitFor('close', () => c.closed);
  });

  test('login, heartbeat, SUBS full-then-delta, ADD, UNSUBS, VIEW, code 22 and 11, LOGOUT', async () => {
    const c = await RawClient.open(`${sim.url.replace('http', 'ws')}/ws`);
    login(c);
    const ok = await c.response('0');
    assert.equal(ok.code, 0);
    assert.match(ok.msg, /^server=.*;status=/);
    await waitFor('a heartbeat', () => c.frames.some((f) => (f.notify ?? []).some((n) => typeof (n as { heartbeat?: unknown }).heartbeat === 'string')));
    c.send([{ service: 'LEVELONE_EQUITIES', command: 'SUBS', requestid: '1', ...ids, parameters: { keys: 'AAPL', fields: '0,1,2,3,8,15' } }]);
    assert.deepEqual(await c.response('1'), { code: 0, msg: 'SUBS command succeeded' });
    const items = await waitFor('several AAPL items', () => (c.data('LEVELONE_EQUITIES').length >= 3 ? c.data('LEVELONE_EQUITIES') : null));
    assert.equal(items[0]!.assetMainType, 'EQUITY');
    assert.equal(items[0]!['15'], 'Apple Inc');
    assert.ok(items.slice(1).every((i) => !('15' in i) && !('assetMainType' in i)), 'later items carry only changed fields');
    assert.ok(items.every((i) => Object.keys(i).every((k) => ['key', 'delayed', 'assetMainType', 'assetSubType', 'cusip', '1', '2', '3', '8', '15'].includes(k))), 'only subscribed fields');

    c.send([{ service: 'LEVELONE_EQUITIES', command: 'ADD', requestid: '2', ...ids, parameters: { keys: 'MSFT', fields: '0,1' } }]);
    await c.response('2');
    await waitFor('MSFT data', () => c.data('LEVELONE_EQUITIES').some((i) => i.key === 'MSFT'));
    c.send([{ service: 'LEVELONE_EQUITIES', command: 'UNSUBS', requestid: '3', ...ids, parameters: { keys: 'AAPL' } }]);
    await c.response('3');
    const mark = c.frames.length;
    await waitFor('more MSFT data', () => c.frames.slice(mark + 5).length > 0 && c.frames.slice(mark).some((f) => JSON.stringify(f).includes('MSFT')));
    const after = c.frames.slice(mark + 2).flatMap((f) => ((f.data ?? []) as { content: { key: string }[] }[]).flatMap((e) => e.content));
    assert.ok(after.length > 0 && after.every((i) => i.key !== 'AAPL'), 'no AAPL after UNSUBS');

    c.send([{ service: 'LEVELONE_EQUITIES', command: 'VIEW', requestid: '4', ...ids, parameters: { fields: '0,3' } }]);
    assert.equal((await c.response('4')).code, 0);
    c.send([{ service: 'CHART_EQUITY', command: 'SUBS', requestid: '5', ...ids, parameters: { keys: 'AAPL' } }]);
    assert.deepEqual(await c.response('5'), { code: 22, msg: 'SUBS command failed' });
    c.send([{ service: 'TIMESALE_EQUITY', command: 'SUBS', requestid: '6', ...ids, parameters: { keys: 'AAPL', fields: '0,1' } }]);
    assert.equal((await c.response('6')).code, 11);
    c.send([{ service: 'ADMIN', command: 'LOGOUT', requestid: '9', ...ids, parameters: {} }]);
    assert.deepEqual(await c.response('9'), { code: 0, msg: 'SUCCESS' });
    await waitFor('close after logout', () => c.closed);
  });

  test('an empty subscription ends the stream with notify code 30', async () => {
    const c = await RawClient.open(`${sim.url.replace('http', 'ws')}/ws`);
    login(c);
    await c.response('0');
    const notice = await waitFor('code 30', () => c.frames.flatMap((f) => (f.notify ?? []) as { content?: { code: number } }[]).find((n) => n.content?.code === 30));
    assert.ok(notice);
    await waitFor('close', () => c.closed);
  });

  test('a second login for the same user sends code 12 to the older connection', async () => {
    const a = await RawClient.open(`${sim.url.replace('http', 'ws')}/ws`);
    login(a);
    await a.response('0');
    const b = await RawClient.open(`${sim.url.replace('http', 'ws')}/ws`);
    login(b);
    assert.equal((await b.response('0')).code, 0);
    await waitFor('code 12 on the older one', () => a.frames.some((f) => (f.notify ?? []).some((n) => (n as { content?: { code: number } }).content?.code === 12)));
    await waitFor('older closed', () => a.closed);
    assert.equal(b.closed, false);
    b.ws.close();
  });
});

describe('simulator OAuth (tdameritrade dialect)', () => {
  let sim: SimHandle;
  before(async () => (sim = await startSimulator()));
  after(() => sim.close());

  test('the authorize form redirects with a code carrying / + @, single use, and state echoed', async () => {
    const cb = 'http://127.0.0.1:9/cb';
    const res = await fetch(`${sim.url}/auth`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: 'KEY@AMER.OAUTHAP', redirect_uri: cb, state: 'xyz', username: 'u', password: 'p' }).toString(),
      redirect: 'manual',
    });
    assert.equal(res.status, 302);
    const location = res.headers.get('location')!;
    assert.match(location, /code=[^&]*%2F[^&]*%2B[^&]*%40/);
    const url = new URL(location);
    assert.equal(url.searchParams.get('state'), 'xyz');
    const code = decodeURIComponent(/code=([^&]*)/.exec(location)![1]!);
    const exchange = () =>
      fetch(`${sim.url}/v1/oauth2/token`, {
        method: 'POST',
        headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
        body: new URLSearchParams({ grant_type: 'authorization_code', access_type: 'offline', code, client_id: 'KEY@AMER.OAUTHAP', redirect_uri: cb }).toString(),
      });
    const first = await exchange();
    assert.equal(first.status, 200);
    const tokens = (await first.json()) as Record<string, unknown>;
    assert.deepEqual([tokens.expires_in, tokens.refresh_token_expires_in], [1800, 7776000]);
    const again = await exchange();
    assert.deepEqual([again.status, await again.json()], [400, { error: 'invalid_grant' }]);
    const principals = await fetch(`${sim.url}/v1/userprincipals?fields=streamerConnectionInfo`, { headers: { Authorization: `Bearer ${tokens.access_token}` } });
    const body = (await principals.json()) as Record<string, unknown>;
    assert.ok(body.streamerInfo);
    assert.equal(body.streamerSubscriptionKeys, undefined, 'only the blocks asked for');
    assert.equal((await fetch(`${sim.url}/v1/userprincipals`, { headers: { Authorization: 'Bearer nope' } })).status, 401);
  });
});
