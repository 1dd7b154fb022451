import assert from 'node:assert/strict';
import { test } from 'node:test';
import { classifySymbol, levelOneService } from '../../../shared/symbols.js';

const kinds = (dialect: 'schwab' | 'tdameritrade', symbols: string[]) =>
  symbols.map((s) => {
    const c = classifySymbol(s, dialect);
    return c.ok ? c.kind : 'invalid';
  });

test('symbols of each asset type are recognised per the references (docs/protocol/schwab.md §6)', () => {
  assert.deepEqual(
    kinds('schwab', ['AAPL', '$SPX', 'BRK/B', '/ES', '/ESZ24', './OZCZ23C565', './E3DM24P5490', 'EUR/USD', 'AAPL  251219C00200000', 'SPY   240621P00541000']),
    ['equity', 'equity', 'equity', 'future', 'future', 'future-option', 'future-option', 'forex', 'option', 'option'],
  );
});

test('TD forms: $SPX.X, preferreds, AAPL_011720C300 options (docs/protocol/tdameritrade.md §6)', () => {
  assert.deepEqual(kinds('tdameritrade', ['$SPX.X', 'PREpA', 'BRK/A', 'AAPL_011720C300', '/ESM20', './ESZ3P990']), [
    'equity',
    'equity',
    'equity',
    'option',
    'future',
    'future-option',
  ]);
  // An OCC option symbol is not a TD option.
  assert.equal(classifySymbol('AAPL  251219C00200000', 'tdameritrade').ok, false);
});

test('malformed symbols are refused with a reason', () => {
  for (const bad of ['', 'AA PL', '??', 'A;B', '/', '12AB', './ES', 'X'.repeat(40)]) {
    const c = classifySymbol(bad, 'schwab');
    assert.equal(c.ok, false, bad);
  }
  const lower = classifySymbol('aapl', 'schwab');
  assert.equal(lower.ok, false);
  assert.match(lower.ok ? '' : lower.error, /upper case \(AAPL\)/);
});

test('each kind maps to its dialect level-one service', () => {
  assert.equal(levelOneService('equity', 'schwab'), 'LEVELONE_EQUITIES');
  assert.equal(levelOneService('equity', 'tdameritrade'), 'QUOTE');
  assert.equal(levelOneService('option', 'tdameritrade'), 'OPTION');
  assert.equal(levelOneService('future', 'tdameritrade'), 'LEVELONE_FUTURES');
});
