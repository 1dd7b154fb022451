/**
 * `tls: true` (`tapedeck sim --tls`): https and wss with a self-signed certificate for 127.0.0.1 and
 * localhost, driven over raw node:https and a raw `ws` socket as real clients would: Schwab's client
 * uses userPreference's full wss:// URL; a TD client builds "wss://" + the bare host:port + "/ws".
 */
import assert from 'node:assert/strict';
import { X509Certificate } from 'node:crypto';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type SimHandle } from '../../../electron/node/sim/index.js';
import { APP_KEY, basicAuth, CALLBACK, codeOf, getJson, RawClient, rawRequest, TD_CLIENT_ID, tdCredential, type Obj } from './sim-client.js';

/** The simulator's TLS needs the selfsigned package; without it installed the whole suite is skipped, saying so. */
async function start(): Promise<SimHandle | string> {
  try {
    return await startSimulator({ tls: true, rate: 300 });
  } catch (err) {
    const msg = (err as Error).message;
    if (/selfsigned/.test(msg)) return msg;
    throw err;
  }
}

const form = (fields: Record<string, string>) => new URLSearchParams(fields).toString();
const FORM = { 'Content-Type': 'application/x-www-form-urlencoded' };

describe('simulator over TLS', () => {
  let sim: SimHandle | string;
  before(async () => (sim = await start()));
  after(async () => {
    if (typeof sim !== 'string') await sim.close();
  });
  const live = (t: { skip: (why: string) => void }): SimHandle | null => {
    if (typeof sim === 'string') {
      t.skip(sim);
      return null;
    }
    return sim;
  };

  test('serves https on 127.0.0.1 with a certificate for 127.0.0.1 and localhost that clients must be told to trust', async (t) => {
    const s = live(t);
    if (!s) return;
    assert.match(s.url, /^https:\/\/127\.0\.0\.1:\d+$/);
    assert.match(s.certificate!, /^-----BEGIN CERTIFICATE-----\r?\n/);
    const cert = new X509Certificate(s.certificate!);
    assert.equal(cert.checkIP('127.0.0.1'), '127.0.0.1');
    assert.equal(cert.checkHost('localhost'), 'localhost');
    const page = `/v1/oauth/authorize?client_id=${APP_KEY}&redirect_uri=${encodeURIComponent(CALLBACK)}`;
    assert.equal((await rawRequest(`${s.url}${page}`, { ca: s.certificate! })).status, 200);
    assert.equal((await rawRequest(`https://localhost:${s.port}${page}`, { ca: s.certificate! })).status, 200);
    await assert.rejects(rawRequest(`${s.url}${page}`), /self[- ]signed|certificate/i, 'untrusted without the certificate');
    await assert.rejects(rawRequest(`http://127.0.0.1:${s.port}${page}`), 'no plain http on the TLS port');
  });

  test('Schwab: OAuth over https, userPreference hands out wss://HOST:PORT/ws, and that socket logs in and streams', async (t) => {
    const s = live(t);
    if (!s) return;
    const ca = s.certificate!;
    const login = await rawRequest(`${s.url}/v1/oauth/authorize`, { method: 'POST', headers: FORM, body: form({ client_id: APP_KEY, redirect_uri: CALLBACK, username: 'tls-user', password: 'pw' }), ca });
    assert.equal(login.status, 302);
    const code = codeOf(String(login.headers.location));
    const tokens = (await rawRequest(`${s.url}/v1/oauth/token`, { method: 'POST', headers: { ...FORM, Authorization: basicAuth() }, body: form({ grant_type: 'authorization_code', code, redirect_uri: CALLBACK }), ca })).json<Record<string, string>>();
    const pref = await getJson<{ streamerInfo: Record<string, string>[] }>(s, '/trader/v1/userPreference', tokens.access_token!);
    const info = pref.body.streamerInfo[0]!;
    assert.equal(info.streamerSocketUrl, `wss://127.0.0.1:${s.port}/ws`);
    const c = await RawClient.open(info.streamerSocketUrl!, ca);
    const ids = { SchwabClientCustomerId: info.schwabClientCustomerId!, SchwabClientCorrelId: info.schwabClientCorrelId! };
    c.send({ service: 'ADMIN', command: 'LOGIN', requestid: '1', ...ids, parameters: { Authorization: tokens.access_token, SchwabClientChannel: 'N9', SchwabClientFunctionId: 'APIAPP' } });
    assert.equal((await c.response('1')).code, 0);
    c.send({ service: 'LEVELONE_EQUITIES', command: 'SUBS', requestid: '2', ...ids, parameters: { keys: 'AAPL', fields: '0,1,2,3' } });
    const [item] = await c.itemsUntil('LEVELONE_EQUITIES', 1);
    assert.equal(item!.key, 'AAPL');
    const quotes = await getJson(s, '/marketdata/v1/quotes?symbols=AAPL', tokens.access_token!);
    assert.equal(quotes.status, 200, 'REST market data over https too');
    c.close();
  });

  test('TD: userprincipals hands out a bare HOST:PORT; "wss://" + it + "/ws", as every TD client built it, logs in and streams', async (t) => {
    const s = live(t);
    if (!s) return;
    const ca = s.certificate!;
    const login = await rawRequest(`${s.url}/auth`, { method: 'POST', headers: FORM, body: form({ response_type: 'code', client_id: TD_CLIENT_ID, redirect_uri: CALLBACK, username: 'tls-td', password: 'pw' }), ca });
    const code = codeOf(String(login.headers.location));
    const tokens = (await rawRequest(`${s.url}/v1/oauth2/token`, { method: 'POST', headers: FORM, body: form({ grant_type: 'authorization_code', client_id: TD_CLIENT_ID, code, redirect_uri: CALLBACK, access_type: 'offline' }), ca })).json<Record<string, string>>();
    const p = (await getJson(s, '/v1/userprincipals?fields=streamerSubscriptionKeys,streamerConnectionInfo', tokens.access_token!)).body;
    const si = p.streamerInfo as Record<string, string>;
    assert.equal(si.streamerSocketUrl, `127.0.0.1:${s.tdStreamerPort}`);
    assert.doesNotMatch(si.streamerSocketUrl!, /\/\/|\/ws/, 'no scheme, no path');
    const url = 'wss://' + si.streamerSocketUrl + '/ws';
    assert.equal(url, s.tdStreamerUrl);
    const c = await RawClient.open(url, ca);
    const account = (p.accounts as Obj[])[0]!.accountId as string;
    const req = (requestid: string, service: string, command: string, parameters: Obj) => ({ service, requestid, command, account, source: si.appId, parameters });
    c.send(req('0', 'ADMIN', 'LOGIN', { credential: tdCredential(p), token: si.token, version: '1.0' }));
    assert.equal((await c.response('0')).code, 0);
    c.send(req('1', 'QUOTE', 'SUBS', { keys: 'MSFT', fields: '0,1,2,3' }));
    const [item] = await c.itemsUntil('QUOTE', 1);
    assert.equal(item!.key, 'MSFT');
    c.close();
    // Schwab's /ws is not TD's: the main port's streamer refuses a TD login.
    const wrong = await RawClient.open(`wss://127.0.0.1:${s.port}/ws`, ca);
    wrong.send(req('0', 'ADMIN', 'LOGIN', { credential: tdCredential(p), token: si.token, version: '1.0' }));
    assert.equal((await wrong.response('0')).code, 21, 'no Schwab ids: bad command formatting');
  });
});

describe('simulator without TLS', () => {
  let sim: SimHandle;
  before(async () => (sim = await startSimulator()));
  after(() => sim.close());

  test('plain http and ws; the TD address is bare, so a TD client that builds ws:// + it + /ws connects, and its listener serves nothing else', async () => {
    assert.match(sim.url, /^http:\/\//);
    assert.equal(sim.certificate, null);
    assert.equal(sim.schwabStreamerUrl, `ws://127.0.0.1:${sim.port}/ws`);
    assert.equal(sim.tdStreamerUrl, `ws://127.0.0.1:${sim.tdStreamerPort}/ws`);
    const c = await RawClient.open(sim.tdStreamerUrl);
    c.send({ service: 'ADMIN', command: 'LOGIN', requestid: '7', account: 'x', source: 'y', parameters: { credential: 'userid=nobody', token: 't', version: '1.0' } });
    assert.equal((await c.response('7')).code, 3, 'the TD streamer answers (and denies a bad credential with TD code 3)');
    await c.whenClosed();
    const other = await rawRequest(`http://127.0.0.1:${sim.tdStreamerPort}/v1/userprincipals`);
    assert.equal(other.status, 404);
    await assert.rejects(RawClient.open(`ws://127.0.0.1:${sim.tdStreamerPort}/td/ws`), 'only /ws');
  });
});
