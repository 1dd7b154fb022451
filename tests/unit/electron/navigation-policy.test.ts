import assert from 'node:assert/strict';
import { test } from 'node:test';
import { externalUrlToOpen, isAllowedNavigation } from '../../../electron/main/navigation-policy.js';

test('only our own app:// origin may load in an app window', () => {
  assert.equal(isAllowedNavigation('app://tapedeck/index.html'), true);
  assert.equal(isAllowedNavigation('app://tapedeck/'), true);
  for (const url of [
    'https://example.invalid/?next=app://tapedeck/',
    'https://app.tapedeck.example/',
    'app://tapedeck.evil/',
    'app://tapedeck@evil/',
    'app://user:pw@tapedeck/',
    'app://tapedeck:8080/',
    'APP://evil/tapedeck',
    'file:///etc/passwd',
    'javascript:alert(1)',
    'data:text/html,<script>alert(1)</script>',
    'http://localhost/app://tapedeck',
    'not a url',
  ]) {
    assert.equal(isAllowedNavigation(url), false, url);
  }
});

test('only http(s) links go to the system browser, without embedded credentials', () => {
  assert.equal(externalUrlToOpen('https://developer.schwab.com/'), 'https://developer.schwab.com/');
  assert.equal(externalUrlToOpen('http://example.invalid/a?b=c'), 'http://example.invalid/a?b=c');
  for (const url of ['file:///etc/passwd', 'javascript:alert(1)', 'smb://host/share', 'app://tapedeck/', 'https://u:p@example.invalid/', 'garbage']) {
    assert.equal(externalUrlToOpen(url), null, url);
  }
});
