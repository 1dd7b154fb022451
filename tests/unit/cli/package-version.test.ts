/** The version About and the CLI show is package.json's, found from the code's own location. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { packageVersion } from '../../../electron/node/cli/package-version.js';

test("the version is package.json's, whatever npm set in the environment", () => {
  const pkg = JSON.parse(readFileSync(new URL('../../../package.json', import.meta.url), 'utf8')) as { version: string };
  assert.equal(packageVersion(), pkg.version);
  assert.match(packageVersion(), /^\d+\.\d+\.\d+/);
});
