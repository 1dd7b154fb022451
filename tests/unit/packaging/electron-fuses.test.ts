/**
 * The packaged app is built with the Electron fuses the security review asks for. Reads
 * electron-builder.yml as text (no YAML parser is a dependency: the block is flat `key: value`
 * lines) and checks every key against the JSON schema of the installed electron-builder, so a
 * misspelt fuse cannot pass silently.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { test } from 'node:test';

const config = readFileSync(new URL('../../../electron-builder.yml', import.meta.url), 'utf8');

/** The `key: value` lines of a top-level block, comments dropped. */
function block(yaml: string, name: string): Map<string, string> {
  const lines = yaml.split('\n');
  const start = lines.findIndex((l) => l.replace(/#.*$/, '').trimEnd() === `${name}:`);
  assert.ok(start >= 0, `electron-builder.yml has no top-level '${name}:'`);
  const out = new Map<string, string>();
  for (const line of lines.slice(start + 1)) {
    const text = line.replace(/\s+#.*$/, '').trimEnd();
    if (text === '' || text.trimStart().startsWith('#')) continue;
    const m = /^ {2}([A-Za-z]+):\s*(\S+)$/.exec(text);
    if (!m) break;
    out.set(m[1]!, m[2]!);
  }
  return out;
}

test('fuses: no RunAsNode, no NODE_OPTIONS, no inspect arguments; cookie encryption and asar integrity on', () => {
  const fuses = block(config, 'electronFuses');
  assert.deepEqual(Object.fromEntries(fuses), {
    runAsNode: 'false',
    enableNodeOptionsEnvironmentVariable: 'false',
    enableNodeCliInspectArguments: 'false',
    enableCookieEncryption: 'true',
    enableEmbeddedAsarIntegrityValidation: 'true',
    onlyLoadAppFromAsar: 'true',
  });
  // Integrity validation needs the app packed as an asar.
  assert.match(config, /^asar: true$/m);
});

test("every fuse key is one the installed electron-builder knows", () => {
  const fromBuilder = createRequire(createRequire(import.meta.url).resolve('electron-builder/package.json'));
  const schema = fromBuilder('app-builder-lib/scheme.json') as {
    properties: Record<string, unknown>;
    definitions: { FuseOptionsV1: { properties: Record<string, unknown> } };
  };
  assert.ok('electronFuses' in schema.properties);
  for (const key of block(config, 'electronFuses').keys()) assert.ok(key in schema.definitions.FuseOptionsV1.properties, key);
});
