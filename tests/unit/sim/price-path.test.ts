/**
 * The simulator's price path: random access gives the same value however it is reached, and a
 * range is the extremes of the exact path values at its nodes and ends.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { PATH_STEP_MS, PricePath } from '../../../electron/node/sim/price-path.js';

const DAY = 86_400_000;
const T0 = Date.UTC(2026, 2, 2, 14, 30);

test('a point has one value, whatever was asked before it', () => {
  const a = new PricePath(7, 0.02);
  const b = new PricePath(7, 0.02);
  const times = [T0, T0 + 1_000, T0 - 365 * DAY, T0 + 500, T0 + 3 * DAY, T0 + 1_000];
  const direct = times.map((t) => new PricePath(7, 0.02).x(t));
  assert.deepEqual(times.map((t) => a.x(t)), direct);
  // Coarse work (a range) in between leaves later points unchanged.
  b.range(T0 - 365 * DAY, T0, 7 * DAY);
  assert.deepEqual(times.map((t) => b.x(t)), direct);
});

test('a range is the extremes of the ends and of the nodes between them, at most a step apart', () => {
  for (const [key, from, to, step] of [
    [1, T0 - 365 * DAY, T0, 7 * DAY],
    [2, T0, T0 + 60_000, 60_000],
    [3, T0 + 17_123, T0 + DAY, 60_000],
  ] as const) {
    const got = new PricePath(key, 0.015).range(from, to, step);
    // The same values asked one by one: the ends, and every point on the node grid inside.
    const probe = new PricePath(key, 0.015);
    const stepSteps = step / PATH_STEP_MS;
    const node = 2 ** Math.floor(Math.log2(stepSteps)) * PATH_STEP_MS;
    const values = [probe.x(from), probe.x(to)];
    const origin = Date.UTC(2000, 0, 1);
    for (let t = origin + Math.ceil((from - origin) / node) * node; t < to; t += node) values.push(probe.x(t));
    assert.ok(values.length >= 2 + Math.floor((to - from) / step) - 1, 'nodes no further apart than the step');
    assert.equal(got.high, Math.max(...values));
    assert.equal(got.low, Math.min(...values));
    assert.ok(got.high > got.low);
  }
});
