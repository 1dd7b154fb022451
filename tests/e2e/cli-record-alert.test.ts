/** `tapedeck record --alert` against the demo simulator, end to end: a stderr line and a row per firing. */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { query } from '../helpers/db.js';
import { tempDir } from '../helpers/tmp.js';

test('record --alert prints one line per firing with the time, rule and value, and stores it in alerts', async (t) => {
  const { dir, cleanup } = tempDir('cli-alert');
  t.after(cleanup);
  const db = join(dir, 'alerts.db');
  // A last price is always above 0 (fires once); a volume never goes below 0 (never fires); IBM is
  // not among --symbols, so the alert subscribes it.
  const r = await runCli(['record', '--db', db, '--duration', '3', '--symbols', 'AAPL', '--alert', 'IBM last > 0', '--alert', 'AAPL volume < 0 rearm']);
  assert.equal(r.code, 0, r.stderr);
  const lines = r.stderr.split('\n').filter((l) => /alert fired/.test(l));
  assert.equal(lines.length, 1, r.stderr);
  const m = /^\d{4}-\d\d-\d\d \d\d:\d\d:\d\d\.\d{3} alert fired: IBM last > 0 \(last (\d+(?:\.\d+)?)\)$/.exec(lines[0]!);
  assert.ok(m, lines[0]);
  const rows = query<{ rule_id: string; rule: string; symbol: string; value: number; frame_id: number | null }>(db, 'SELECT rule_id, rule, symbol, value, frame_id FROM alerts');
  assert.equal(rows.length, 1);
  assert.deepEqual({ ...rows[0], frame_id: typeof rows[0]!.frame_id }, { rule_id: 'cli-1', rule: 'IBM last > 0', symbol: 'IBM', value: Number(m[1]), frame_id: 'number' });
});

test('a malformed --alert is a usage error naming what is wrong', async () => {
  const r = await runCli(['record', '--db', '/nonexistent/x.db', '--alert', 'AAPL last >= 230']);
  assert.equal(r.code, 2);
  assert.match(r.stderr, /^tapedeck record: --alert: '>=' is not a condition: use >, < or crosses/m);
});
