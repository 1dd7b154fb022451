/** What the command line prints, as pure functions: error lines, flag errors, record's stderr lines. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { describeConnected } from '../../../electron/node/engine/engine.js';
import { numberFlag, parseFlags } from '../../../electron/node/cli/args.js';
import { exitCodeOf, formatError, UsageError, UserError } from '../../../electron/node/cli/errors.js';
import { formatDuration, formatSummary, localTimestamp } from '../../../electron/node/cli/status-line.js';

test('errors: usage exits 2 and points at --help, the rest exit 1; always one line', () => {
  assert.equal(formatError('export', new UsageError('--table is required')), "tapedeck export: --table is required (see 'tapedeck export --help')");
  assert.equal(exitCodeOf(new UsageError('x')), 2);
  assert.equal(formatError('record', new UserError('x.db is a folder, not a database file')), 'tapedeck record: x.db is a folder, not a database file');
  assert.equal(exitCodeOf(new UserError('x')), 1);
  assert.equal(formatError(null, new UsageError("unknown command 'x'")), "tapedeck: unknown command 'x' (see 'tapedeck --help')");
  assert.equal(formatError('record', new Error('first\n  second\r\nthird')), 'tapedeck record: first second third');
  assert.equal(exitCodeOf(new Error('internal')), 1);
});

test('flags: a negative number is a value, not a missing one; every parse error is a UsageError', () => {
  const options = { duration: { type: 'string' }, manual: { type: 'boolean' } } as const;
  assert.equal(parseFlags(['--duration', '-5'], options).duration, '-5');
  assert.equal(parseFlags(['--duration', '-.5'], options).duration, '-.5');
  assert.throws(() => numberFlag('-5', '--duration', { min: 0 }), (e) => e instanceof UsageError && e.message === "--duration must be a number >= 0, not '-5'");
  const cases: [string[], string][] = [
    [['--nope'], "unknown flag '--nope'"],
    [['--duration'], '--duration needs a value'],
    [['--duration', '--manual'], "--duration needs a value (write --duration=VALUE for one that starts with '-')"],
    [['--manual=yes'], '--manual takes no value'],
    [['stray'], "unexpected argument 'stray' (values follow their flag, as in --db FILE)"],
  ];
  for (const [argv, message] of cases) {
    assert.throws(() => parseFlags(argv, options), (e) => e instanceof UsageError && e.message === message, argv.join(' '));
  }
});

test("record's lines: a local timestamp, durations, and the summary", () => {
  const t = new Date(2025, 2, 14, 9, 5, 7, 42).getTime();
  assert.equal(localTimestamp(t), '2025-03-14 09:05:07.042');
  assert.deepEqual([45_000, 185_000, 7_385_000, 93_784_000].map(formatDuration), ['45s', '3m05s', '2h03m05s', '1d02h03m']);
  assert.equal(
    formatSummary({ durationMs: 3_723_000, updates: 1_234_567, rows: 1_300_000, frames: 45_678, reconnects: 1, problems: { 'malformed-json': 3, 'refused subscription': 1 }, dbBytes: 5 * 1024 ** 2 }),
    'summary: 1h02m03s, 1,234,567 updates, 1,300,000 rows, 45,678 frames, 1 reconnect, problems: malformed-json 3, refused subscription 1, database 5.0 MB',
  );
  assert.match(formatSummary({ durationMs: 0, updates: 0, rows: 0, frames: 0, reconnects: 2, problems: {}, dbBytes: 10 }), /, 2 reconnects, no problems, database 10 B$/);
});

test('connect lines say where, as whom, and what the server answered', () => {
  const base = { url: 'wss://streamer-ws.tdameritrade.com/ws', account: '123456789', reconnect: false };
  assert.equal(describeConnected({ ...base, serverMessage: '02-1' }, 'tdameritrade'), 'connected to wss://streamer-ws.tdameritrade.com/ws as 123456789 (TD server 02-1)');
  const schwab = { url: 'wss://streamer-api.schwab.com/ws', account: 'a'.repeat(64), reconnect: true, serverMessage: 'server=s0635dc6-1;status=NP' };
  assert.equal(describeConnected(schwab, 'schwab'), `reconnected to wss://streamer-api.schwab.com/ws as ${'a'.repeat(12)}… (Schwab server s0635dc6-1, status NP)`);
  assert.equal(describeConnected({ ...schwab, account: null, serverMessage: 'hello' }, 'schwab'), 'reconnected to wss://streamer-api.schwab.com/ws (Schwab server: hello)');
});
