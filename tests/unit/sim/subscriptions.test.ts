/** The subscription table's command semantics (docs/protocol/schwab.md §3.6, docs/protocol/tdameritrade.md §3.6), without sockets. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { SubscriptionTable, parseFields, parseKeys } from '../../../electron/node/sim/subscriptions.js';

const table = (caps: Record<string, number> = {}) => new SubscriptionTable('schwab', (s) => caps[s] ?? 3000);
const keysOf = (t: SubscriptionTable, service: string) => [...(t.get(service)?.keys ?? [])];
const fieldsOf = (t: SubscriptionTable, service: string) => [...(t.get(service)?.fields ?? [])].sort((a, b) => a - b);

test('SUBS replaces keys and fields of that service only; ADD unions both; UNSUBS removes keys; VIEW replaces fields', () => {
  const t = table();
  assert.deepEqual(t.apply('LEVELONE_EQUITIES', 'SUBS', { keys: 'A,B,C', fields: '0,1,2' }).fresh, ['A', 'B', 'C']);
  assert.equal(t.apply('LEVELONE_FUTURES', 'SUBS', { keys: '/ES', fields: '0,1' }).code, 0);
  const replaced = t.apply('LEVELONE_EQUITIES', 'SUBS', { keys: 'A', fields: '0,3' });
  assert.deepEqual([replaced.fresh, replaced.removed], [['A'], ['B', 'C']]);
  assert.deepEqual([keysOf(t, 'LEVELONE_EQUITIES'), fieldsOf(t, 'LEVELONE_EQUITIES')], [['A'], [0, 3]]);
  assert.deepEqual(keysOf(t, 'LEVELONE_FUTURES'), ['/ES']);

  const added = t.apply('LEVELONE_EQUITIES', 'ADD', { keys: 'A, D ,E', fields: '0,8' });
  assert.deepEqual([added.code, added.msg, added.fresh], [0, 'ADD command succeeded', ['D', 'E']]);
  assert.deepEqual([keysOf(t, 'LEVELONE_EQUITIES'), fieldsOf(t, 'LEVELONE_EQUITIES')], [['A', 'D', 'E'], [0, 3, 8]]);

  const removed = t.apply('LEVELONE_EQUITIES', 'UNSUBS', { keys: 'D,Z' });
  assert.deepEqual([removed.msg, removed.removed], ['UNSUBS command succeeded', ['D']]);
  assert.equal(t.apply('LEVELONE_EQUITIES', 'VIEW', { fields: '0,1' }).msg, 'VIEW command succeeded');
  assert.deepEqual([keysOf(t, 'LEVELONE_EQUITIES'), fieldsOf(t, 'LEVELONE_EQUITIES')], [['A', 'E'], [0, 1]]);

  t.apply('LEVELONE_EQUITIES', 'UNSUBS', { keys: 'A,E' });
  assert.equal(t.isEmpty(), false);
  t.apply('LEVELONE_FUTURES', 'UNSUBS', { keys: '/ES' });
  assert.equal(t.isEmpty(), true);
});

test('failures leave the table untouched', () => {
  const t = table();
  t.apply('LEVELONE_EQUITIES', 'SUBS', { keys: 'A', fields: '0,1' });
  const cases: [string, string, Record<string, unknown>, number][] = [
    ['LEVELONE_EQUITIES', 'SUBS', { keys: 'B' }, 22],
    ['LEVELONE_EQUITIES', 'ADD', { keys: 'B' }, 24],
    ['LEVELONE_EQUITIES', 'UNSUBS', {}, 23],
    ['LEVELONE_EQUITIES', 'VIEW', { keys: 'A' }, 25],
    ['LEVELONE_EQUITIES', 'toString', { keys: 'B', fields: '0' }, 21],
    ['ACCT_ACTIVITY', 'ADD', { keys: 'k', fields: '0,1,2,3' }, 21],
    ['TIMESALE_EQUITY', 'SUBS', { keys: 'A', fields: '0,1' }, 11],
  ];
  for (const [service, command, params, code] of cases) assert.equal(t.apply(service, command, params).code, code, `${service} ${command}`);
  assert.deepEqual([keysOf(t, 'LEVELONE_EQUITIES'), fieldsOf(t, 'LEVELONE_EQUITIES')], [['A'], [0, 1]]);
});

test('over the cap: code 19 naming the cap and the discarded count, the first keys kept', () => {
  const t = table({ CHART_EQUITY: 3 });
  const r = t.apply('CHART_EQUITY', 'SUBS', { keys: 'A,B,C,D,E', fields: '0,1' });
  assert.deepEqual([r.code, r.msg], [19, "You've reached the maximum number of symbols allowed.  (CHART_EQUITY=3, DISCARDED=2)"]);
  assert.deepEqual(keysOf(t, 'CHART_EQUITY'), ['A', 'B', 'C']);
  const add = t.apply('CHART_EQUITY', 'ADD', { keys: 'A,F', fields: '0' });
  assert.deepEqual([add.code, add.fresh], [19, []]);
});

test('keys are trimmed and de-duplicated; fields must be numbers', () => {
  assert.deepEqual(parseKeys('SPY, AAPL,,SPY '), ['SPY', 'AAPL']);
  assert.equal(parseKeys(42), null);
  assert.deepEqual([...parseFields('0, 1,x,3')!], [0, 1, 3]);
  assert.equal(parseFields('x,y'), null);
  assert.equal(parseFields(undefined), null);
});
