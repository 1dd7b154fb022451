/**
 * The runner's per-test deadline (tests/helpers/test-deadline.ts): a test that hangs fails the
 * file, named, long before the per-file limit; a test may ask for more time.
 */
import assert from 'node:assert/strict';
import { spawn } from 'node:child_process';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';

const ROOT = fileURLToPath(new URL('../..', import.meta.url));

/** Runs the fixture the way scripts/run-tests.mjs runs a test file, with a short per-test limit. */
function runFixture(env: Record<string, string>): Promise<{ code: number | null; output: string }> {
  return new Promise((resolve) => {
    const child = spawn(
      process.execPath,
      ['--import', 'tsx', '--import', './tests/helpers/test-deadline.ts', '--test', '--test-timeout=20000', '--test-reporter=spec', 'tests/fixtures/runner/hangs.ts'],
      // Without NODE_TEST_CONTEXT, which would make that node think it runs inside this test.
      { cwd: ROOT, env: { ...process.env, NODE_TEST_CONTEXT: undefined, ...env }, stdio: ['ignore', 'pipe', 'pipe'] },
    );
    let output = '';
    child.stdout.on('data', (d: Buffer) => (output += d.toString()));
    child.stderr.on('data', (d: Buffer) => (output += d.toString()));
    child.on('exit', (code) => resolve({ code, output }));
  });
}

test('a hung test fails with its name at the per-test deadline; an extended test keeps its time', { timeout: 60_000 }, async () => {
  // The extended test runs past the default deadline (1.5 s against 1 s) and must not be cut.
  const r = await runFixture({ TEST_PER_TEST_TIMEOUT_MS: '1000', EXTENDED_TEST_MS: '1500' });
  assert.notEqual(r.code, 0, r.output);
  assert.match(r.output, /test 'the test that hangs' did not finish within 1000 ms/, r.output);
  assert.doesNotMatch(r.output, /'an extended test' did not finish/, r.output);
  assert.doesNotMatch(r.output, /'a quick test' did not finish/, r.output);
});
