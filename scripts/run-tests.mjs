// Runs every tests/**/*.test.ts file with node's test runner (TypeScript through tsx).
// Node 20's --test takes no globs, so the file list is built here. Pass a path fragment to filter.
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { spawnSync } from 'node:child_process';

function walk(dir) {
  return readdirSync(dir).flatMap((name) => {
    const path = join(dir, name);
    return statSync(path).isDirectory() ? walk(path) : path.endsWith('.test.ts') ? [path] : [];
  });
}

const filters = process.argv.slice(2);
const files = walk('tests')
  .filter((f) => filters.length === 0 || filters.some((x) => f.includes(x)))
  .sort();
if (files.length === 0) {
  console.error('no test files matched');
  process.exit(1);
}
const concurrency = process.env.TEST_CONCURRENCY ?? '4';
// A hung test file fails, named, instead of hanging `npm test` (Node 20 applies this limit to each
// file as a whole, so it must cover the slowest file: the install test takes a few minutes). Each
// test inside also has its own deadline, which names the test: tests/helpers/test-deadline.ts.
const timeout = process.env.TEST_TIMEOUT_MS ?? '600000';
const result = spawnSync(
  process.execPath,
  ['--import', 'tsx', '--import', './tests/helpers/tsx-workers.ts', '--import', './tests/helpers/test-deadline.ts', '--test', `--test-concurrency=${concurrency}`, `--test-timeout=${timeout}`, '--test-reporter=spec', ...files],
  { stdio: 'inherit' },
);
process.exit(result.status ?? 1);
