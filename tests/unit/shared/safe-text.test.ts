/** Server text made safe for a terminal, a log or a window (shared/safe-text.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { escapeControls, isWellFormed, safeText, toWellFormed } from '../../../shared/safe-text.js';

test('control characters are shown as escapes, so a server cannot retitle or clear the terminal', () => {
  const hostile = 'AAPL\x1b]0;pwned\x07\x1b[2J\x1bc\r\nforged line\u009b31m';
  const shown = safeText(hostile);
  assert.equal(shown, 'AAPL\\x1b]0;pwned\\x07\\x1b[2J\\x1bc\\r\\nforged line\\x9b31m');
  assert.doesNotMatch(shown, /[\u0000-\u001f\u007f-\u009f]/);
});

test('bidirectional overrides, separators and lone surrogates are escaped; printable Unicode is kept', () => {
  assert.equal(safeText('a\u202eb\u2028c\ud800d'), 'a\\u202eb\\u2028c\\ud800d');
  assert.equal(safeText('€ — Ünïcode 📈'), '€ — Ünïcode 📈');
});

test('long text is cut to the limit with the total noted, never inside an escape or a surrogate pair', () => {
  const line = 'x'.repeat(200_086);
  const shown = safeText(line);
  assert.equal(shown, `${'x'.repeat(300)}… (200,086 characters)`);
  assert.equal(safeText('\x1b'.repeat(100), 10), '\\x1b\\x1b… (100 characters)');
  assert.equal(safeText('ab📈📈', 3), 'ab… (6 characters)');
  assert.equal(safeText('short', 10), 'short');
});

test('escaping twice changes nothing, and what is not a string is named by its type', () => {
  const once = escapeControls('a\x1b[31mb\\x1b');
  assert.equal(escapeControls(once), once);
  assert.equal(safeText(undefined), '');
  assert.equal(safeText({ toString: 1 }), '(object)');
});

test('lone surrogates are found and replaced by U+FFFD; pairs are left alone', () => {
  assert.equal(isWellFormed('\ud800lone'), false);
  assert.equal(isWellFormed('tail\udc00'), false);
  assert.equal(isWellFormed('pair 📈'), true);
  assert.equal(toWellFormed('\ud800lone \udc00 📈'), '\ufffdlone \ufffd 📈');
  const same = 'unchanged';
  assert.equal(toWellFormed(same), same);
});
