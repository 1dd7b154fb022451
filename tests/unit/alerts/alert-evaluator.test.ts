import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AlertOp, AlertRule } from '../../../shared/alerts.js';
import type { QuoteRecord } from '../../../shared/engine-events.js';
import type { FieldValue } from '../../../shared/market.js';
import { AlertEvaluator } from '../../../electron/node/alerts/alert-evaluator.js';
import { freshState, REARM_BAND, step } from '../../../electron/node/alerts/alert-state.js';

/** Which of the values fire, for a rule stepped through them from a fresh state. */
function fires(op: AlertOp, threshold: number, values: number[]): number[] {
  const state = freshState();
  return values.filter((v) => step(state, op, threshold, v));
}

test('above fires at once when the condition already holds, then waits to re-arm below the band', () => {
  assert.deepEqual(fires('above', 100, [101]), [101]);
  assert.deepEqual(fires('above', 100, [99, 100, 100.5, 101, 102]), [100.5], 'equal is not above; fires once while it stays above');
  const band = 100 * REARM_BAND;
  // Dipping inside the band does not re-arm; going below it does.
  assert.deepEqual(fires('above', 100, [101, 100 - band / 2, 101, 100 - band, 100.5]), [101, 100.5]);
});

test('below mirrors above', () => {
  assert.deepEqual(fires('below', 50, [51, 49, 48, 50 + 50 * REARM_BAND, 49.5]), [49, 49.5]);
  assert.deepEqual(fires('below', 50, [49, 50, 49]), [49], 'back to the threshold is not past the band');
});

test('crosses needs a previous side and fires on every change of side, not inside the band', () => {
  assert.deepEqual(fires('crosses', 100, [101]), [], 'the first value only sets the side');
  assert.deepEqual(fires('crosses', 100, [99, 101, 102, 98]), [101, 98]);
  assert.deepEqual(fires('crosses', 100, [99, 100, 100.005, 99, 101]), [101], 'inside the band the side stays');
  assert.deepEqual(fires('crosses', 0, [-1, 0, 1, -1]), [1, -1], 'a threshold of 0 has no band');
});

const record = (service: string, key: string, fields: Record<string, FieldValue>): QuoteRecord => ({ service, key, ts: 0, receivedAt: 1, meta: {}, fields });
const rule = (over: Partial<AlertRule>): AlertRule => ({ id: 'r', symbol: 'AAPL', field: 'last', op: 'above', threshold: 100, mode: 'once', enabled: true, lastFiredAt: null, ...over });

function evaluator(rules: AlertRule[]) {
  const hits: [string, number][] = [];
  const e = new AlertEvaluator('schwab', (r, value) => hits.push([r.id, value]));
  e.setRules(rules);
  const feed = (service: string, key: string, fields: Record<string, FieldValue>) => {
    const r = record(service, key, fields);
    e.observe({ service, key, ts: 0, meta: {}, fields }, r, 1);
  };
  return { e, hits, feed };
}

test('a rule watches its symbol on its level-one service only, and each field is read from the merged record', () => {
  const { hits, feed } = evaluator([
    rule({ id: 'last' }),
    rule({ id: 'bid', field: 'bid', threshold: 10 }),
    rule({ id: 'ask', field: 'ask', op: 'below', threshold: 10 }),
    rule({ id: 'vol', field: 'volume', threshold: 1_000_000 }),
    rule({ id: 'pct', field: 'changePct', op: 'below', threshold: -2 }),
    rule({ id: 'fx', symbol: 'EUR/USD', field: 'ask', op: 'crosses', threshold: 1.085 }),
  ]);
  feed('NASDAQ_BOOK', 'AAPL', { last_price: 500 });
  feed('LEVELONE_EQUITIES', 'MSFT', { last_price: 500 });
  assert.deepEqual(hits, [], 'another service or symbol never fires');
  feed('LEVELONE_EQUITIES', 'AAPL', { last_price: 150, bid_price: 9, ask_price: 11, total_volume: 999, net_change: -1, close_price: 100 });
  assert.deepEqual(hits, [['last', 150]]);
  // % change is net change over the previous close: -3 / 100 = -3 %.
  feed('LEVELONE_EQUITIES', 'AAPL', { last_price: 150, bid_price: 11, ask_price: 9, total_volume: 2_000_000, net_change: -3, close_price: 100 });
  assert.deepEqual(hits.slice(1), [['bid', 11], ['ask', 9], ['vol', 2_000_000], ['pct', -3]]);
  feed('LEVELONE_FOREX', 'EUR/USD', { ask_price: 1.08 });
  feed('LEVELONE_FOREX', 'EUR/USD', { ask_price: 1.09 });
  assert.deepEqual(hits.at(-1), ['fx', 1.09]);
});

test('% change falls back to the sent field when net change or close is missing', () => {
  const { hits, feed } = evaluator([rule({ field: 'changePct', threshold: 1 })]);
  feed('LEVELONE_FUTURES', 'AAPL', { future_change_percent: 5 });
  feed('LEVELONE_EQUITIES', 'AAPL', { net_change_percent: 1.5 });
  assert.deepEqual(hits, [['r', 1.5]]);
});

test('disabled rules are not watched; editing a rule re-arms it, unchanged rules keep their state', () => {
  const { e, hits, feed } = evaluator([rule({ id: 'a' }), rule({ id: 'off', enabled: false })]);
  feed('LEVELONE_EQUITIES', 'AAPL', { last_price: 101 });
  feed('LEVELONE_EQUITIES', 'AAPL', { last_price: 102 });
  assert.deepEqual(hits, [['a', 101]]);
  e.setRules([rule({ id: 'a' }), rule({ id: 'off', enabled: false })]);
  feed('LEVELONE_EQUITIES', 'AAPL', { last_price: 103 });
  assert.equal(hits.length, 1, 'the same settings: still fired, not re-armed');
  e.setRules([rule({ id: 'a', threshold: 102 })]);
  feed('LEVELONE_EQUITIES', 'AAPL', { last_price: 103 });
  assert.deepEqual(hits.at(-1), ['a', 103], 'an edit arms the rule again');
  assert.deepEqual(e.symbols(), ['AAPL']);
});
