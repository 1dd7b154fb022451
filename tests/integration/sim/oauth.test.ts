/**
 * The simulator's OAuth and bootstrap endpoints against the references (docs/protocol/schwab.md §1-2, §9;
 * docs/protocol/tdameritrade.md §1-2, §8), driven with plain fetch the way a browser and a client would.
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type SimHandle } from '../../../electron/node/sim/index.js';
import { APP_KEY, CALLBACK, TD_CLIENT_ID, basicAuth, codeOf, schwabToken, submitLogin, tdToken, waitForAsync, type Obj } from './sim-client.js';

const json = async (res: Response) => [res.status, (await res.json()) as Obj] as const;

describe('simulator OAuth, Schwab dialect', () => {
  let sim: SimHandle;
  before(async () => (sim = await startSimulator({ accessTokenTtlSec: 1800 })));
  after(() => sim.close());

  test('the authorize page is a labelled login form that carries client_id, redirect_uri and state, escaped', async () => {
    const q = new URLSearchParams({ client_id: APP_KEY, redirect_uri: CALLBACK, response_type: 'code', state: '"><script>x</script>' });
    const res = await fetch(`${sim.url}/v1/oauth/authorize?${q}`);
    assert.equal(res.status, 200);
    assert.match(res.headers.get('content-type') ?? '', /text\/html/);
    const html = await res.text();
    assert.match(html, /Tapedeck simulator — not a real broker/);
    assert.match(html, /<input[^>]*id="username"[^>]*name="username"/);
    assert.match(html, /<input[^>]*id="password"[^>]*name="password"/);
    assert.match(html, /<button[^>]*id="accept"[^>]*>Accept<\/button>/);
    assert.match(html, new RegExp(`type="hidden" name="client_id" value="${APP_KEY}"`));
    assert.match(html, /type="hidden" name="redirect_uri" value="https:\/\/127\.0\.0\.1:8182"/);
    assert.match(html, /name="state" value="&quot;&gt;&lt;script&gt;x&lt;\/script&gt;"/);
    assert.doesNotMatch(html, /<script>x<\/script>/);
  });

  test('a missing client_id or redirect_uri is a 400 page; an empty password re-renders the form with an error', async () => {
    assert.equal((await fetch(`${sim.url}/v1/oauth/authorize?client_id=${APP_KEY}`)).status, 400);
    assert.equal((await fetch(`${sim.url}/v1/oauth/authorize?redirect_uri=${encodeURIComponent(CALLBACK)}`)).status, 400);
    const res = await fetch(`${sim.url}/v1/oauth/authorize`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ client_id: APP_KEY, redirect_uri: CALLBACK, username: 'trader', password: '' }).toString(),
      redirect: 'manual',
    });
    assert.equal(res.status, 400);
    const html = await res.text();
    assert.match(html, /role="alert"/);
    assert.match(html, /id="accept"/);
  });

  test('Accept redirects with code=…%40, a session uuid and the state; the code works once', async () => {
    const location = await submitLogin(sim, '/v1/oauth/authorize', { client_id: APP_KEY, redirect_uri: CALLBACK, state: 's 1/2' });
    const url = new URL(location);
    assert.equal(`${url.origin}${url.pathname}`, `${CALLBACK}/`);
    assert.match(location, /[?&]code=[^&]+%40(&|$)/);
    assert.match(url.searchParams.get('session') ?? '', /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/);
    assert.equal(url.searchParams.get('state'), 's 1/2');
    const code = codeOf(location);
    assert.ok(code.endsWith('@'));

    const [status, body] = await json(await schwabToken(sim, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK }));
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(body).sort(), ['access_token', 'expires_in', 'id_token', 'refresh_token', 'scope', 'token_type']);
    assert.equal(body.expires_in, 1800);
    assert.equal(body.token_type, 'Bearer');
    assert.equal(body.scope, 'api');
    assert.match(String(body.id_token), /^[\w-]+\.[\w-]+\.[\w-]+$/);

    const [again, error] = await json(await schwabToken(sim, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK }));
    assert.equal(again, 400);
    assert.equal(error.error, 'invalid_grant');
  });

  test('the code is bound to its client and redirect_uri, and the token endpoint wants Basic auth', async () => {
    const code = () => submitLogin(sim, '/v1/oauth/authorize', { client_id: APP_KEY, redirect_uri: CALLBACK }).then(codeOf);
    const [noAuth, unauthorized] = await json(await fetch(`${sim.url}/v1/oauth/token`, {
      method: 'POST',
      headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
      body: new URLSearchParams({ grant_type: 'authorization_code', code: await code(), redirect_uri: CALLBACK }).toString(),
    }));
    assert.deepEqual([noAuth, unauthorized], [401, { error: 'invalid_client', error_description: 'Unauthorized' }]);
    const [wrongRedirect, e1] = await json(await schwabToken(sim, { grant_type: 'authorization_code', code: await code(), redirect_uri: `${CALLBACK}/` }));
    assert.deepEqual([wrongRedirect, e1.error], [400, 'invalid_grant']);
    const [wrongClient, e2] = await json(await schwabToken(sim, { grant_type: 'authorization_code', code: await code(), redirect_uri: CALLBACK }, basicAuth('another-app')));
    assert.deepEqual([wrongClient, e2.error], [400, 'invalid_grant']);
    const [badGrant, e3] = await json(await schwabToken(sim, { grant_type: 'client_credentials' }));
    assert.deepEqual([badGrant, e3.error], [400, 'unsupported_grant_type']);
  });

  test('refresh rotates the refresh token: a new string, and the old one stops working', async () => {
    const code = codeOf(await submitLogin(sim, '/v1/oauth/authorize', { client_id: APP_KEY, redirect_uri: CALLBACK }));
    const first = (await (await schwabToken(sim, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK })).json()) as Record<string, string>;
    const refreshes = sim.stats().refreshes;
    const [status, second] = await json(await schwabToken(sim, { grant_type: 'refresh_token', refresh_token: first.refresh_token! }));
    assert.equal(status, 200);
    assert.notEqual(second.refresh_token, first.refresh_token);
    assert.notEqual(second.access_token, first.access_token);
    assert.equal(sim.stats().refreshes, refreshes + 1);
    const [oldStatus, oldBody] = await json(await schwabToken(sim, { grant_type: 'refresh_token', refresh_token: first.refresh_token! }));
    assert.deepEqual([oldStatus, oldBody], [400, { error: 'invalid_client', error_description: 'refresh token invalid' }]);
    const [unknown] = await json(await schwabToken(sim, { grant_type: 'refresh_token', refresh_token: 'never-issued' }));
    assert.equal(unknown, 400);
  });

  test('userPreference is an object with one streamerInfo pointing at the local socket; 401 without a valid token', async () => {
    const code = codeOf(await submitLogin(sim, '/v1/oauth/authorize', { client_id: APP_KEY, redirect_uri: CALLBACK, username: 'alice' }));
    const tokens = (await (await schwabToken(sim, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK })).json()) as Record<string, string>;
    const [status, pref] = await json(await fetch(`${sim.url}/trader/v1/userPreference`, { headers: { Authorization: `Bearer ${tokens.access_token}` } }));
    assert.equal(status, 200);
    assert.ok(!Array.isArray(pref));
    const info = pref.streamerInfo as Record<string, string>[];
    assert.equal(info.length, 1);
    assert.equal(info[0]!.streamerSocketUrl, `${sim.url.replace('http://', 'ws://')}/ws`, 'a full ws:// URL (wss:// with --tls)');
    assert.equal(info[0]!.streamerSocketUrl, sim.schwabStreamerUrl);
    assert.match(info[0]!.schwabClientCustomerId!, /^[0-9a-f]{64}$/);
    assert.match(info[0]!.schwabClientCorrelId!, /^[0-9a-f-]{36}$/);
    assert.equal(info[0]!.schwabClientChannel, 'N9');
    assert.equal(info[0]!.schwabClientFunctionId, 'APIAPP');
    assert.equal((pref.accounts as Obj[]).length, 1);
    assert.deepEqual(pref.offers, [{ level2Permissions: true, mktDataPermission: 'NP' }]);

    assert.equal((await fetch(`${sim.url}/trader/v1/userPreference`)).status, 401);
    assert.equal((await fetch(`${sim.url}/trader/v1/userPreference`, { headers: { Authorization: 'Bearer forged' } })).status, 401);
  });

  test('unknown paths are JSON 404s and oversized bodies are refused', async () => {
    const [status, body] = await json(await fetch(`${sim.url}/v1/nothing-here`));
    assert.equal(status, 404);
    assert.ok(body.error);
    const big = await schwabToken(sim, { grant_type: 'refresh_token', refresh_token: 'x'.repeat(70 * 1024) });
    assert.equal(big.status, 413);
  });
});

describe('simulator token lifetimes', () => {
  let sim: SimHandle;
  before(async () => (sim = await startSimulator({ accessTokenTtlSec: 1, refreshTokenTtlSec: { schwab: 2, tdameritrade: 2 } })));
  after(() => sim.close());

  test('access tokens expire (401), and a rotated Schwab refresh token still dies at the original deadline', async () => {
    const code = codeOf(await submitLogin(sim, '/v1/oauth/authorize', { client_id: APP_KEY, redirect_uri: CALLBACK }));
    const t = (await (await schwabToken(sim, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK })).json()) as Record<string, string>;
    const pref = () => fetch(`${sim.url}/trader/v1/userPreference`, { headers: { Authorization: `Bearer ${t.access_token}` } }).then((r) => r.status);
    assert.equal(await pref(), 200);
    await waitForAsync('the access token to expire', async () => (await pref()) === 401 || null);
    // Keep refreshing with each rotated token: refreshing never extends the life (docs/protocol/schwab.md §1.3).
    let refresh = t.refresh_token!;
    let rotations = 0;
    const last = await waitForAsync('the refresh deadline', async () => {
      const [status, body] = await json(await schwabToken(sim, { grant_type: 'refresh_token', refresh_token: refresh }));
      if (status === 200) {
        refresh = String(body.refresh_token);
        rotations++;
        return null;
      }
      return [status, body] as const;
    }, 10_000);
    assert.ok(rotations >= 1);
    assert.deepEqual(last, [400, { error: 'invalid_client', error_description: 'refresh token invalid' }]);
  });
});

describe('simulator OAuth, TD Ameritrade dialect', () => {
  let sim: SimHandle;
  before(async () => (sim = await startSimulator()));
  after(() => sim.close());

  test('GET /auth serves the same login page', async () => {
    const q = new URLSearchParams({ response_type: 'code', redirect_uri: CALLBACK, client_id: TD_CLIENT_ID });
    const html = await (await fetch(`${sim.url}/auth?${q}`)).text();
    assert.match(html, /id="username"/);
    assert.match(html, /id="accept"/);
    assert.match(html, /not a real broker/);
  });

  test('the code carries / + @ encoded exactly once; exchange works with and without the @AMER.OAUTHAP suffix', async () => {
    const location = await submitLogin(sim, '/auth', { response_type: 'code', client_id: TD_CLIENT_ID, redirect_uri: CALLBACK, state: 'abc' });
    const raw = /[?&]code=([^&]*)/.exec(location)![1]!;
    assert.match(raw, /%2F/);
    assert.match(raw, /%2B/);
    assert.match(raw, /%40/);
    assert.doesNotMatch(raw, /%25/, 'not double-encoded');
    assert.equal(new URL(location).searchParams.get('state'), 'abc');
    assert.equal(new URL(location).searchParams.get('session'), null, 'TD has no session parameter');

    // A client that forgets to decode sends the encoded form: that must fail.
    const [undecoded] = await json(await tdToken(sim, { grant_type: 'authorization_code', code: raw, client_id: TD_CLIENT_ID, redirect_uri: CALLBACK, access_type: 'offline' }));
    assert.equal(undecoded, 400);

    const fresh = codeOf(await submitLogin(sim, '/auth', { client_id: TD_CLIENT_ID, redirect_uri: CALLBACK }));
    const [status, tokens] = await json(await tdToken(sim, { grant_type: 'authorization_code', code: fresh, client_id: APP_KEY, redirect_uri: CALLBACK, access_type: 'offline' }));
    assert.equal(status, 200);
    assert.equal(tokens.expires_in, 1800);
    assert.equal(tokens.refresh_token_expires_in, 7776000);
    assert.equal(tokens.token_type, 'Bearer');
    assert.ok(tokens.refresh_token);
    const [reused, error] = await json(await tdToken(sim, { grant_type: 'authorization_code', code: fresh, client_id: TD_CLIENT_ID, redirect_uri: CALLBACK }));
    assert.deepEqual([reused, error], [400, { error: 'invalid_grant' }]);
  });

  test('refresh without access_type=offline gives an access token only; with it, a rotated refresh token', async () => {
    const code = codeOf(await submitLogin(sim, '/auth', { client_id: TD_CLIENT_ID, redirect_uri: CALLBACK }));
    const noOffline = (await (await tdToken(sim, { grant_type: 'authorization_code', code, client_id: TD_CLIENT_ID, redirect_uri: CALLBACK })).json()) as Obj;
    assert.equal(noOffline.refresh_token, undefined, 'no refresh token without access_type=offline');

    const code2 = codeOf(await submitLogin(sim, '/auth', { client_id: TD_CLIENT_ID, redirect_uri: CALLBACK }));
    const first = (await (await tdToken(sim, { grant_type: 'authorization_code', code: code2, client_id: TD_CLIENT_ID, redirect_uri: CALLBACK, access_type: 'offline' })).json()) as Record<string, string>;
    const [s1, accessOnly] = await json(await tdToken(sim, { grant_type: 'refresh_token', refresh_token: first.refresh_token!, client_id: APP_KEY }));
    assert.equal(s1, 200);
    assert.deepEqual(Object.keys(accessOnly).sort(), ['access_token', 'expires_in', 'scope', 'token_type']);
    const [s2, rotated] = await json(await tdToken(sim, { grant_type: 'refresh_token', refresh_token: first.refresh_token!, client_id: TD_CLIENT_ID, access_type: 'offline' }));
    assert.equal(s2, 200);
    assert.ok(rotated.refresh_token && rotated.refresh_token !== first.refresh_token);
    assert.equal(rotated.refresh_token_expires_in, 7776000);
    const [s3, e3] = await json(await tdToken(sim, { grant_type: 'refresh_token', refresh_token: first.refresh_token!, client_id: TD_CLIENT_ID }));
    assert.deepEqual([s3, e3], [400, { error: 'invalid_grant' }]);
  });

  test('userprincipals returns only the blocks asked for, with a 40-hex streamer token and a +0000 timestamp', async () => {
    const code = codeOf(await submitLogin(sim, '/auth', { client_id: TD_CLIENT_ID, redirect_uri: CALLBACK, username: 'bob' }));
    const tokens = (await (await tdToken(sim, { grant_type: 'authorization_code', code, client_id: TD_CLIENT_ID, redirect_uri: CALLBACK, access_type: 'offline' })).json()) as Record<string, string>;
    const get = (fields: string) => fetch(`${sim.url}/v1/userprincipals${fields}`, { headers: { Authorization: `Bearer ${tokens.access_token}` } }).then(json);

    const [s0, bare] = await get('');
    assert.equal(s0, 200);
    assert.equal(bare.streamerInfo, undefined);
    assert.equal(bare.streamerSubscriptionKeys, undefined);
    const account = (bare.accounts as Record<string, string>[])[0]!;
    for (const k of ['accountId', 'company', 'segment', 'accountCdDomainId']) assert.equal(typeof account[k], 'string', k);

    const [, withInfo] = await get('?fields=streamerConnectionInfo');
    const si = withInfo.streamerInfo as Record<string, string>;
    assert.equal(withInfo.streamerSubscriptionKeys, undefined);
    assert.equal(si.streamerSocketUrl, `127.0.0.1:${sim.tdStreamerPort}`, 'a bare HOST:PORT: clients add the scheme and /ws');
    assert.notEqual(sim.tdStreamerPort, sim.port, 'the TD streamer has its own listener, so its /ws is not Schwab\'s');
    assert.match(si.token!, /^[0-9a-f]{40}$/);
    assert.match(si.tokenTimestamp!, /^\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\+0000$/);
    for (const k of ['userGroup', 'accessLevel', 'acl', 'appId']) assert.ok(si[k], k);

    const [, both] = await get('?fields=streamerSubscriptionKeys,streamerConnectionInfo');
    assert.ok(both.streamerInfo);
    assert.match((both.streamerSubscriptionKeys as { keys: { key: string }[] }).keys[0]!.key, /^[0-9a-f]+$/);

    assert.equal((await fetch(`${sim.url}/v1/userprincipals`, { headers: { Authorization: 'Bearer nope' } })).status, 401);
  });
});
