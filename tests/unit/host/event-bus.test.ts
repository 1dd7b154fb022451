import assert from 'node:assert/strict';
import { test } from 'node:test';
import { EventBus } from '../../../electron/node/host/event-bus.js';

test('what is said before anyone listens reaches the first listener, in order; quotes are not held', () => {
  const bus = new EventBus();
  bus.message('warning', 'settings.json could not be read');
  bus.emit('engine:quotes', { records: [], publishedAt: 1, oldestReceivedAt: 1 });
  bus.emit('export:progress', { fraction: 0.5, done: false });
  const got: string[] = [];
  bus.on((name, payload) => got.push(name === 'engine:message' ? `${name}:${(payload as { text: string }).text}` : name));
  assert.deepEqual(got, ['engine:message:settings.json could not be read', 'export:progress']);
  bus.emit('engine:quotes', { records: [], publishedAt: 2, oldestReceivedAt: 2 });
  assert.deepEqual(got.at(-1), 'engine:quotes', 'once someone listens, everything is delivered as it happens');
});

test('a second listener gets only what comes after it subscribed; unsubscribing stops delivery', () => {
  const bus = new EventBus();
  const first: string[] = [];
  const off = bus.on((name) => first.push(name));
  bus.message('info', 'one');
  const second: string[] = [];
  bus.on((name) => second.push(name));
  off();
  bus.message('info', 'two');
  assert.deepEqual(first, ['engine:message']);
  assert.deepEqual(second, ['engine:message']);
});

test('a message is escaped and cut before it reaches a window: it may quote a server', () => {
  const bus = new EventBus();
  const got: string[] = [];
  bus.on((_, payload) => got.push((payload as { text: string }).text));
  bus.message('warning', `Token refresh failed: 400 bad \x1b]0;owned\x07${'e'.repeat(100_000)}`);
  assert.doesNotMatch(got[0]!, /[\x00-\x1f]/);
  assert.match(got[0]!, /^Token refresh failed: 400 bad \\x1b\]0;owned\\x07e+… \(100,\d{3} characters\)$/);
});
