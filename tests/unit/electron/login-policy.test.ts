/**
 * The broker login window: https only, plain http only to a loopback authorize page the user
 * configured, and nothing it opens reaches the system browser.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { loginUrlAllowed } from '../../../electron/main/login-policy.js';
import { externalTarget } from '../../../electron/main/navigation-policy.js';

const SCHWAB = 'https://api.schwabapi.com/v1/oauth/authorize?client_id=x';
const SIM = 'http://127.0.0.1:8765/v1/oauth/authorize?client_id=x';

test('broker pages over https are allowed, whatever the host (login pages move between hosts)', () => {
  assert.equal(loginUrlAllowed(SCHWAB, SCHWAB), true);
  assert.equal(loginUrlAllowed('https://sws-gateway.schwab.com/ui/host/#/login', SCHWAB), true);
  assert.equal(loginUrlAllowed('wss://sws-gateway.schwab.com/socket', SCHWAB), true);
});

test('plain http is refused, except to the loopback authorize page the user configured', () => {
  for (const url of ['http://api.schwabapi.com/v1/oauth/authorize', 'http://127.0.0.1:8765/', 'http://evil.example/', 'ws://127.0.0.1:8765/']) {
    assert.equal(loginUrlAllowed(url, SCHWAB), false, url);
  }
  assert.equal(loginUrlAllowed('http://127.0.0.1:8765/v1/oauth/authorize', SIM), true);
  assert.equal(loginUrlAllowed('http://127.0.0.1:8765/login?x=1', SIM), true);
  for (const url of ['http://127.0.0.1:9999/', 'http://localhost:8765/', 'http://evil.example:8765/']) {
    assert.equal(loginUrlAllowed(url, SIM), false, `${url}: another origin than the configured one`);
  }
  const remoteHttp = 'http://broker.example/v1/oauth/authorize';
  assert.equal(loginUrlAllowed(remoteHttp, remoteHttp), false, 'a configured http page that is not on this machine');
  assert.equal(loginUrlAllowed('http://[::1]:8765/a', 'http://[::1]:8765/v1/oauth/authorize'), true);
});

test('other schemes and URLs with credentials are refused', () => {
  for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'data:text/html,x', 'app://tapedeck/', 'https://u:p@api.schwabapi.com/', 'not a url']) {
    assert.equal(loginUrlAllowed(url, SIM), false, url);
  }
});

test("links leaving a login page go nowhere; an app window's https link goes to the system browser", () => {
  for (const url of ['https://evil.example/', 'http://evil.example/', SCHWAB]) assert.equal(externalTarget(url, true), null, url);
  assert.equal(externalTarget('https://developer.schwab.com/', false), 'https://developer.schwab.com/');
});
