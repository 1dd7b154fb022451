import assert from 'node:assert/strict';
import { test } from 'node:test';
import { buildAuthorizeUrl, codeFromRedirect, isCallbackUrl, newOAuthState, tdClientId } from '../../../electron/node/auth/oauth-flow.js';

const CALLBACK = 'https://127.0.0.1:8182';

test('authorize URL carries client id, redirect and state for each dialect', () => {
  const schwab = new URL(
    buildAuthorizeUrl({ dialect: 'schwab', authBase: 'https://api.schwabapi.com/', appKey: 'KEY', redirectUri: CALLBACK, state: 'st' }),
  );
  assert.equal(schwab.origin + schwab.pathname, 'https://api.schwabapi.com/v1/oauth/authorize');
  assert.equal(schwab.searchParams.get('client_id'), 'KEY');
  assert.equal(schwab.searchParams.get('redirect_uri'), CALLBACK);
  assert.equal(schwab.searchParams.get('state'), 'st');
  const td = new URL(
    buildAuthorizeUrl({ dialect: 'tdameritrade', authBase: 'https://auth.tdameritrade.com', appKey: 'ABC1234', redirectUri: CALLBACK, state: 's' }),
  );
  assert.equal(td.pathname, '/auth');
  // docs/protocol/tdameritrade.md §1.1: client_id=ABC1234%40AMER.OAUTHAP on the wire.
  assert.match(td.search, /client_id=ABC1234%40AMER\.OAUTHAP/);
});

test('TD client id gets exactly one @AMER.OAUTHAP suffix', () => {
  assert.equal(tdClientId('ABC'), 'ABC@AMER.OAUTHAP');
  assert.equal(tdClientId('ABC@AMER.OAUTHAP'), 'ABC@AMER.OAUTHAP');
  assert.equal(tdClientId('ABC@OTHER'), 'ABC@AMER.OAUTHAP');
});

test('the code is URL-decoded exactly once, and a literal + is not turned into a space', () => {
  const state = newOAuthState();
  // The doc's example: 03%40A%2FB becomes 03@A/B. A double-encoded %2540 must stay %40.
  assert.equal(codeFromRedirect(`${CALLBACK}/?code=03%40A%2FB&state=${state}`, state, CALLBACK), '03@A/B');
  assert.equal(codeFromRedirect(`${CALLBACK}/?code=x%2540y&state=${state}`, state, CALLBACK), 'x%40y');
  assert.equal(codeFromRedirect(`${CALLBACK}/?code=a+b%2Bc&state=${state}`, state, CALLBACK), 'a+b+c');
});

test('a redirect without the right state, or to another place, is refused', () => {
  const state = newOAuthState();
  assert.throws(() => codeFromRedirect(`${CALLBACK}/?code=abc&state=other`, state, CALLBACK), /state/);
  assert.throws(() => codeFromRedirect(`${CALLBACK}/?code=abc`, state, CALLBACK), /state/);
  assert.throws(() => codeFromRedirect(`https://evil.example/?code=abc&state=${state}`, state, CALLBACK), /not to the configured callback/);
  assert.throws(() => codeFromRedirect(`https://127.0.0.1:9999/?code=abc&state=${state}`, state, CALLBACK), /callback/);
  assert.throws(() => codeFromRedirect(`${CALLBACK}/?error=access_denied&state=${state}`, state, CALLBACK), /refused/);
  assert.throws(() => codeFromRedirect('not a url', state, CALLBACK), /not a URL/);
});

test('callback matching compares scheme, host, port and path on parsed URLs', () => {
  assert.equal(isCallbackUrl('https://127.0.0.1:8182/?code=1', CALLBACK), true);
  assert.equal(isCallbackUrl('http://127.0.0.1:8182/?code=1', CALLBACK), false);
  assert.equal(isCallbackUrl('https://127.0.0.1.evil.example:8182/', CALLBACK), false);
  assert.equal(isCallbackUrl('https://127.0.0.1:8182/other', CALLBACK), false);
  assert.equal(isCallbackUrl('https://evil.example/?next=https://127.0.0.1:8182', CALLBACK), false);
});

test('each login gets a fresh unguessable state', () => {
  const a = newOAuthState();
  assert.notEqual(a, newOAuthState());
  assert.ok(a.length >= 32);
});

test('an error in the redirect is quoted escaped and cut: the broker (or whoever crafted the link) wrote it', () => {
  const state = newOAuthState();
  const evil = encodeURIComponent(`access_denied\x1b]0;owned\x07${'x'.repeat(5000)}`);
  assert.throws(
    () => codeFromRedirect(`${CALLBACK}/?error=${evil}&state=${state}`, state, CALLBACK),
    (err: Error) => !/[\x00-\x1f]/.test(err.message) && /refused the login: access_denied\\x1b\]0;owned\\x07x+… \(5,\d{3} characters\)$/.test(err.message),
  );
});
