import assert from 'node:assert/strict';
import { test } from 'node:test';
import { diffSubscriptions, planSubscriptions, type SubscriptionSet } from '../../../electron/node/host/subscription-planner.js';

const asObject = (set: SubscriptionSet) => Object.fromEntries([...set].map(([service, keys]) => [service, [...keys].sort()]));

test('the plan: level one for every symbol, the movers, and detail only for the focused symbol', () => {
  const plan = planSubscriptions({ symbols: ['AAPL', 'MSFT', '/ES', 'EUR/USD', 'AAPL'], focus: 'MSFT', dialect: 'schwab' });
  assert.deepEqual(asObject(plan), {
    LEVELONE_EQUITIES: ['AAPL', 'MSFT'],
    LEVELONE_FUTURES: ['/ES'],
    LEVELONE_FOREX: ['EUR/USD'],
    SCREENER_EQUITY: ['NASDAQ_VOLUME_0'],
    CHART_EQUITY: ['MSFT'],
    NASDAQ_BOOK: ['MSFT'],
  });
});

test('on TD the focused equity also gets its time and sales; invalid symbols are left out', () => {
  const plan = planSubscriptions({ symbols: ['AAPL', 'AAPL  251219C00200000'], focus: 'AAPL', dialect: 'tdameritrade' });
  assert.deepEqual(asObject(plan), {
    QUOTE: ['AAPL'],
    ACTIVES_NASDAQ: ['NASDAQ-60'],
    CHART_EQUITY: ['AAPL'],
    NASDAQ_BOOK: ['AAPL'],
    TIMESALE_EQUITY: ['AAPL'],
  });
});

test('the diff unsubscribes what is no longer wanted and subscribes only what is new', () => {
  const current: SubscriptionSet = new Map([
    ['LEVELONE_EQUITIES', new Set(['AAPL', 'MSFT'])],
    ['CHART_EQUITY', new Set(['AAPL'])],
  ]);
  const wanted: SubscriptionSet = new Map([
    ['LEVELONE_EQUITIES', new Set(['MSFT', 'NVDA'])],
    ['LEVELONE_FUTURES', new Set(['/ES'])],
  ]);
  assert.deepEqual(diffSubscriptions(current, wanted), {
    unsubscribe: [
      { service: 'LEVELONE_EQUITIES', keys: ['AAPL'] },
      { service: 'CHART_EQUITY', keys: ['AAPL'] },
    ],
    subscribe: [
      { service: 'LEVELONE_EQUITIES', keys: ['NVDA'] },
      { service: 'LEVELONE_FUTURES', keys: ['/ES'] },
    ],
  });
  assert.deepEqual(diffSubscriptions(wanted, wanted), { unsubscribe: [], subscribe: [] });
});
