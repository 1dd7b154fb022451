import assert from 'node:assert/strict';
import { test } from 'node:test';
import { detailRoutes, levelOneRoute, moversRoute, routeId } from '../../../shared/routing.js';

test('level one routes every asset type to its service, per dialect', () => {
  const schwab = ['AAPL', 'AAPL  251219C00200000', '/ES', './OZCZ23C565', 'EUR/USD'].map((s) => levelOneRoute(s, 'schwab')?.service);
  assert.deepEqual(schwab, ['LEVELONE_EQUITIES', 'LEVELONE_OPTIONS', 'LEVELONE_FUTURES', 'LEVELONE_FUTURES_OPTIONS', 'LEVELONE_FOREX']);
  const td = ['AAPL', 'AAPL_011720C300', '/ES', './ESZ3P990', 'EUR/USD'].map((s) => levelOneRoute(s, 'tdameritrade')?.service);
  assert.deepEqual(td, ['QUOTE', 'OPTION', 'LEVELONE_FUTURES', 'LEVELONE_FUTURES_OPTIONS', 'LEVELONE_FOREX']);
});

test('the key is the symbol as the stream names it (ends trimmed, inner option spaces kept)', () => {
  assert.deepEqual(levelOneRoute('  AAPL  251219C00200000 ', 'schwab'), { service: 'LEVELONE_OPTIONS', key: 'AAPL  251219C00200000' });
  assert.equal(levelOneRoute('aapl', 'schwab'), null);
  assert.equal(levelOneRoute('AAPL_011720C300', 'schwab'), null, 'a TD option symbol is not a Schwab one');
});

test('detail routes: chart and book for equities, book for options, a tape service only on TD', () => {
  assert.deepEqual(detailRoutes('MSFT', 'schwab'), {
    chart: { service: 'CHART_EQUITY', key: 'MSFT' },
    book: { service: 'NASDAQ_BOOK', key: 'MSFT' },
    timesale: null,
  });
  assert.deepEqual(detailRoutes('MSFT', 'tdameritrade').timesale, { service: 'TIMESALE_EQUITY', key: 'MSFT' });
  assert.deepEqual(detailRoutes('/ES', 'tdameritrade'), {
    chart: { service: 'CHART_FUTURES', key: '/ES' },
    book: null,
    timesale: { service: 'TIMESALE_FUTURES', key: '/ES' },
  });
  assert.deepEqual(detailRoutes('AAPL_011720C300', 'tdameritrade'), { chart: null, book: { service: 'OPTIONS_BOOK', key: 'AAPL_011720C300' }, timesale: null });
  assert.deepEqual(detailRoutes('EUR/USD', 'schwab'), { chart: null, book: null, timesale: null });
  assert.deepEqual(detailRoutes('not a symbol', 'schwab'), { chart: null, book: null, timesale: null });
});

test('movers come from the screener on Schwab and the actives on TD, titled for people', () => {
  assert.equal(moversRoute('schwab').service, 'SCREENER_EQUITY');
  assert.equal(moversRoute('tdameritrade').service, 'ACTIVES_NASDAQ');
  assert.doesNotMatch(moversRoute('schwab').title, /_/, 'not the raw key');
  assert.notEqual(routeId('A', 'B'), routeId('AB', ''), 'ids cannot collide across the service/key split');
});
