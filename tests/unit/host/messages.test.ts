/** Engine events phrased for the window (electron/node/host/messages.ts): readable, escaped, one sane line. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { messageFor } from '../../../electron/node/host/messages.js';
import { MESSAGE_MAX } from '../../../shared/safe-text.js';

test('a problem is phrased by its kind; the periodic summary shows its detail', () => {
  assert.equal(messageFor({ type: 'problem', kind: 'binary-frame', detail: 'a binary frame of 3 bytes', count: 10 }, 1)?.text, 'A binary frame was received (archived, not decoded) (10 so far)');
  const summary = messageFor({ type: 'problem', kind: 'summary', detail: '1,234 problems in the last 60 s', count: 99 }, 1);
  assert.deepEqual(summary, { level: 'warning', text: 'Problems continue: 1,234 problems in the last 60 s', at: 1 });
});

test('whatever an event carries, the message is one escaped line of a sane length', () => {
  const m = messageFor({ type: 'notice', service: 'ADMIN\x1b[2J', code: 17, message: `\r\n${'n'.repeat(10_000)}` }, 1)!;
  assert.doesNotMatch(m.text, /[\x00-\x1f]/);
  assert.ok(m.text.length <= MESSAGE_MAX + 40, `${m.text.length}`);
});
