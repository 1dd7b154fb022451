/**
 * Electron is declared once, as an optional dependency of the dev-only scripts/electron-optional/
 * (so a failed binary download does not fail npm install, and the packaged app does not carry it),
 * and electron-builder.yml names the same version, since node_modules/electron may be absent.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';

const read = (path: string) => readFileSync(new URL(`../../../${path}`, import.meta.url), 'utf8');

test('electron-builder.yml pins the Electron version scripts/electron-optional/ installs', () => {
  const wanted = (JSON.parse(read('scripts/electron-optional/package.json')) as { optionalDependencies: Record<string, string> }).optionalDependencies.electron;
  assert.match(wanted ?? '', /^\d+\.\d+\.\d+$/, 'an exact version, as electronVersion needs');
  assert.equal(/^electronVersion:\s*(\S+)\s*$/m.exec(read('electron-builder.yml'))?.[1], wanted);
});

test('the app itself does not depend on electron: only the dev-only package does', () => {
  const pkg = JSON.parse(read('package.json')) as Record<string, Record<string, string> | undefined>;
  for (const field of ['dependencies', 'optionalDependencies', 'devDependencies', 'peerDependencies']) {
    assert.equal(pkg[field]?.electron, undefined, `electron in ${field}`);
  }
  assert.equal(pkg.devDependencies?.['tapedeck-electron-optional'], 'file:scripts/electron-optional');
});
