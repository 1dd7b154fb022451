/**
 * README "Command line": "TAPEDECK_DEBUG=1 adds stack traces for internal errors." Only internal
 * ones: a mistake in the command line or a cause outside it stays one line either way. (No
 * command-line input reaches an internal error on purpose, so the line the CLI prints for one is
 * checked here, through the one function that formats every error line.)
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { formatError, UsageError, UserError } from '../../../electron/node/cli/errors.js';

function withDebug<T>(value: string | undefined, run: () => T): T {
  const before = process.env.TAPEDECK_DEBUG;
  if (value === undefined) delete process.env.TAPEDECK_DEBUG;
  else process.env.TAPEDECK_DEBUG = value;
  try {
    return run();
  } finally {
    if (before === undefined) delete process.env.TAPEDECK_DEBUG;
    else process.env.TAPEDECK_DEBUG = before;
  }
}

test('TAPEDECK_DEBUG=1 adds the stack trace to an internal error; without it the error is one line', () => {
  const internal = new TypeError('cannot read properties of undefined');
  const plain = withDebug(undefined, () => formatError('record', internal));
  assert.equal(plain, 'tapedeck record: cannot read properties of undefined');
  const debug = withDebug('1', () => formatError('record', internal));
  assert.ok(debug.startsWith('tapedeck record: TypeError: cannot read properties of undefined\n'), debug);
  assert.match(debug, /\n\s+at .*debug-stack\.test\.ts/);
});

test('TAPEDECK_DEBUG=1 leaves usage and user errors one line, without a stack', () => {
  withDebug('1', () => {
    assert.equal(formatError('record', new UsageError('--duration must be a number >= 0')), "tapedeck record: --duration must be a number >= 0 (see 'tapedeck record --help')");
    assert.equal(formatError('record', new UserError('x.db is a folder, not a database file')), 'tapedeck record: x.db is a folder, not a database file');
  });
});
