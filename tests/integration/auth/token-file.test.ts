import assert from 'node:assert/strict';
import { mkdtempSync, readFileSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { readTokenFile, writeTokenFile } from '../../../electron/node/auth/token-file.js';

const dir = mkdtempSync(join(tmpdir(), 'tapedeck-tokens-'));
after(() => rmSync(dir, { recursive: true, force: true }));

const tokens = { provider: 'schwab' as const, access_token: 'a', refresh_token: 'r', expires_at: 1, refresh_expires_at: 2 };

test('token files are written 0600 in a 0700 folder and read back', () => {
  const path = join(dir, 'nested', 'schwab-token.json');
  writeTokenFile(path, tokens);
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.equal(statSync(join(dir, 'nested')).mode & 0o777, 0o700);
  assert.deepEqual(readTokenFile(path), tokens);
});

test('rewriting replaces the file atomically and keeps 0600', () => {
  const path = join(dir, 'rotate.json');
  writeFileSync(path, '{}', { mode: 0o644 });
  writeTokenFile(path, { ...tokens, refresh_token: 'rotated' });
  assert.equal(statSync(path).mode & 0o777, 0o600);
  assert.equal(JSON.parse(readFileSync(path, 'utf8')).refresh_token, 'rotated');
});

test('a missing file is null; a corrupt or incomplete one is a clear error', () => {
  assert.equal(readTokenFile(join(dir, 'absent.json')), null);
  const corrupt = join(dir, 'corrupt.json');
  writeFileSync(corrupt, '{"provider":');
  assert.throws(() => readTokenFile(corrupt), /not valid JSON.*login again/);
  const partial = join(dir, 'partial.json');
  writeFileSync(partial, JSON.stringify({ provider: 'schwab', access_token: 'a' }));
  assert.throws(() => readTokenFile(partial), /refresh_token missing/);
});
