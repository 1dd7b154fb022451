/** CSV cells: RFC 4180 quoting, and text that a spreadsheet would run as a formula is neutralised. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { csvCell } from '../../../electron/node/recorder/csv-cell.js';

test('text starting with =, +, -, @, tab or CR gets a leading apostrophe', () => {
  assert.equal(csvCell('=HYPERLINK("http://evil.example","x")'), `"'=HYPERLINK(""http://evil.example"",""x"")"`);
  assert.equal(csvCell('+1+cmd'), "'+1+cmd");
  assert.equal(csvCell('-2+3+cmd|/C calc!A0'), "'-2+3+cmd|/C calc!A0");
  assert.equal(csvCell('@SUM(A1:A2)'), "'@SUM(A1:A2)");
  assert.equal(csvCell('\t=1'), "'\t=1");
  assert.equal(csvCell('\r=1'), `"'\r=1"`);
  // Text that merely looks numeric is still text from the broker: neutralised too.
  assert.equal(csvCell('-5'), "'-5");
});

test('numbers stay numbers, including negative ones; other text is only quoted when needed', () => {
  assert.equal(csvCell(-1.5), '-1.5');
  assert.equal(csvCell(-12n), '-12');
  assert.equal(csvCell(0), '0');
  assert.equal(csvCell(null), '');
  assert.equal(csvCell(undefined), '');
  assert.equal(csvCell('AAPL'), 'AAPL');
  assert.equal(csvCell('a,b'), '"a,b"');
  assert.equal(csvCell('say "hi"'), '"say ""hi"""');
  assert.equal(csvCell('two\nlines'), '"two\nlines"');
  assert.equal(csvCell('x=1'), 'x=1');
});
