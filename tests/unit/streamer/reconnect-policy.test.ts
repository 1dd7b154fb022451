/** The reconnect policy's numbers as the backoff applies them (reconnect-policy.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { Backoff } from '../../../electron/node/streamer/backoff.js';
import { RECONNECT_POLICY } from '../../../electron/node/streamer/reconnect-policy.js';

test('failed attempts wait 0.5 s doubling to a 30 s cap, each drawn from the upper half', () => {
  assert.equal(RECONNECT_POLICY.firstWaitMs, 500);
  assert.equal(RECONNECT_POLICY.maxWaitMs, 30_000);
  let r = 1;
  const b = new Backoff({ random: () => r });
  const ceilings = Array.from({ length: 10 }, () => b.next());
  assert.deepEqual(ceilings, [500, 1000, 2000, 4000, 8000, 16_000, 30_000, 30_000, 30_000, 30_000]);
  r = 0;
  assert.equal(b.next(), 15_000);
  b.reset();
  assert.equal(b.next(), 250);
});

test('waits are jittered: many clients cut off at once do not come back together', () => {
  const waits = new Set<number>();
  for (let i = 0; i < 50; i++) {
    const b = new Backoff();
    for (let j = 0; j < 20; j++) b.next();
    const w = b.next();
    assert.ok(w >= RECONNECT_POLICY.maxWaitMs * RECONNECT_POLICY.jitterFloor && w <= RECONNECT_POLICY.maxWaitMs, String(w));
    waits.add(w);
  }
  assert.ok(waits.size > 25, `only ${waits.size} distinct waits of 50`);
});
