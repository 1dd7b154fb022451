import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Backoff } from '../../../electron/node/streamer/backoff.js';
import { encodeRequest, fieldList } from '../../../electron/node/streamer/requests.js';
import { SubscriptionSet } from '../../../electron/node/streamer/subscriptions.js';

test('the subscription set adds, removes and forgets empty services', () => {
  const set = new SubscriptionSet();
  assert.deepEqual(set.add('QUOTE', ['AAPL', 'MSFT'], [0, 1, 2]), ['AAPL', 'MSFT']);
  assert.deepEqual(set.add('QUOTE', ['MSFT', 'GOOG'], [0, 1, 2]), ['GOOG']);
  assert.deepEqual(set.remove('QUOTE', ['AAPL', 'NOPE']), ['AAPL']);
  assert.deepEqual(set.list(), [{ service: 'QUOTE', keys: ['MSFT', 'GOOG'], fields: [0, 1, 2] }]);
  set.remove('QUOTE', ['MSFT', 'GOOG']);
  assert.equal(set.isEmpty, true);
});

test('field lists are sorted, unique and include 0', () => {
  assert.equal(fieldList([3, 1, 2, 1]), '0,1,2,3');
  assert.equal(fieldList([]), '0');
});

test('requests carry each dialect identity keys', () => {
  const td = JSON.parse(encodeRequest('tdameritrade', '1', { service: 'QUOTE', command: 'SUBS', parameters: { keys: 'AAPL', fields: '0,1' } }, { account: '1001', source: 'app' }));
  assert.deepEqual(td, { requests: [{ service: 'QUOTE', requestid: '1', command: 'SUBS', account: '1001', source: 'app', parameters: { keys: 'AAPL', fields: '0,1' } }] });
  const sw = JSON.parse(encodeRequest('schwab', '2', { service: 'ADMIN', command: 'LOGOUT', parameters: {} }, { SchwabClientCustomerId: 'c', SchwabClientCorrelId: 'r' }));
  assert.equal(sw.requests[0].SchwabClientCustomerId, 'c');
  assert.equal(sw.requests[0].SchwabClientCorrelId, 'r');
  assert.equal(sw.requests[0].requestid, '2');
});

test('backoff doubles up to the cap, with jitter in [50 %, 100 %], and resets', () => {
  let r = 0;
  const b = new Backoff({ initialMs: 100, maxMs: 1000, random: () => r });
  assert.deepEqual([b.next(), b.next(), b.next(), b.next(), b.next()], [50, 100, 200, 400, 500]);
  r = 1;
  assert.equal(b.next(), 1000);
  b.reset();
  assert.equal(b.next(), 100);
});
