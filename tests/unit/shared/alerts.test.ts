import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatAlert, parseAlert, type AlertDraft } from '../../../shared/alerts.js';

const ok = (text: string, dialect: 'schwab' | 'tdameritrade' = 'schwab'): AlertDraft => {
  const r = parseAlert(text, dialect);
  assert.ok(r.ok, `${text}: ${r.ok ? '' : r.error}`);
  return r.draft;
};
const error = (text: string): string => {
  const r = parseAlert(text, 'schwab');
  assert.ok(!r.ok, `${text} should be refused`);
  return r.error;
};

test('the documented examples parse, once by default', () => {
  assert.deepEqual(ok('AAPL last > 230'), { symbol: 'AAPL', field: 'last', op: 'above', threshold: 230, mode: 'once' });
  assert.deepEqual(ok('/ES bid < 5000 rearm'), { symbol: '/ES', field: 'bid', op: 'below', threshold: 5000, mode: 'rearm' });
  assert.deepEqual(ok('EUR/USD ask crosses 1.0850'), { symbol: 'EUR/USD', field: 'ask', op: 'crosses', threshold: 1.085, mode: 'once' });
  assert.deepEqual(ok('  MSFT change% < -2.5%  once '), { symbol: 'MSFT', field: 'changePct', op: 'below', threshold: -2.5, mode: 'once' });
  assert.deepEqual(ok('TSLA VOLUME > 1e6'), { symbol: 'TSLA', field: 'volume', op: 'above', threshold: 1_000_000, mode: 'once' });
});

test('an OCC option symbol keeps its inner spaces; TD options follow their own form', () => {
  assert.equal(ok('AAPL  251219C00200000 last > 5').symbol, 'AAPL  251219C00200000');
  assert.equal(ok('AAPL_011720C300 bid crosses 2.5', 'tdameritrade').symbol, 'AAPL_011720C300');
});

test('format is the inverse of parse', () => {
  for (const text of ['AAPL last > 230', '/ES bid < 5000 rearm', 'EUR/USD ask crosses 1.085', 'MSFT change% < -2.5', 'X volume > 0.0000001 rearm']) {
    assert.equal(formatAlert(ok(text)), text);
  }
});

test('each mistake is named, with what was expected', () => {
  assert.match(error(''), /SYMBOL FIELD OP VALUE/);
  assert.match(error('AAPL price > 230'), /expected a field \(last, bid, ask, change% or volume\)/);
  assert.match(error('AAPL last >= 230'), /'>=' is not a condition: use >, < or crosses/);
  assert.match(error('AAPL last >'), /expected a number after >/);
  assert.match(error('AAPL last > abc'), /'abc' is not a number/);
  assert.match(error('AAPL last > 230 twice'), /'twice' is not understood/);
  assert.match(error('aapl last > 230'), /upper case \(AAPL\)/);
  assert.match(error('last > 230'), /expected a field/);
  assert.match(error('AAPL last'), /expected >, < or crosses/);
});
