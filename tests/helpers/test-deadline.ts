/**
 * A per-test deadline, preloaded by scripts/run-tests.mjs into every test file's process. Node 20
 * applies --test-timeout to a test file as a whole and then reports only the file, so a test that
 * hangs would be found ten minutes later without its name. Here every test gets its own limit
 * (TEST_PER_TEST_TIMEOUT_MS, default 5 minutes); past it, the test's name goes to stderr and the
 * file's process ends with a failure. A test that legitimately runs longer (the install test)
 * calls extendTestDeadline() first.
 */
import { afterEach, beforeEach } from 'node:test';

const DEFAULT_MS = Number(process.env.TEST_PER_TEST_TIMEOUT_MS ?? 300_000);
let current: { name: string; timer: NodeJS.Timeout } | null = null;

function arm(name: string, ms: number): void {
  if (current) clearTimeout(current.timer);
  const timer = setTimeout(() => {
    process.stderr.write(`\ntest '${name}' did not finish within ${ms} ms (per-test deadline; TEST_PER_TEST_TIMEOUT_MS)\n`);
    process.exit(1);
  }, ms);
  // The deadline never keeps a finished file alive.
  timer.unref();
  current = { name, timer };
}

/** Gives the running test `ms` from now instead of the default. */
export function extendTestDeadline(ms: number): void {
  if (current) arm(current.name, ms);
}

// Only in a test file's own process: in the runner itself, each "test" is a whole file.
if (process.env.NODE_TEST_CONTEXT?.startsWith('child')) {
  beforeEach((t) => arm(t.name, DEFAULT_MS));
  afterEach(() => {
    if (current) clearTimeout(current.timer);
    current = null;
  });
}
