import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { databaseDoc } from '../../../scripts/gen-db-docs.js';

test('docs/database.md matches the schema the recorder creates', () => {
  const onDisk = readFileSync(new URL('../../../docs/database.md', import.meta.url), 'utf8');
  assert.equal(onDisk, databaseDoc(), 'run: npx tsx scripts/gen-db-docs.ts');
});
