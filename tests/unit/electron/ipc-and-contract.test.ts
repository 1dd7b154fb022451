/**
 * The contract, checked where it is carried: the preload exposes exactly invoke/on on the one
 * channel; the IPC choke point and the browser bridge accept exactly the contract's commands, with
 * validated arguments, and nothing else.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { COMMAND_NAMES, EVENT_NAMES } from '../../../shared/api.js';
import { ARG_VALIDATORS } from '../../../electron/node/host/validate-args.js';
import { decideInvoke } from '../../../electron/main/ipc-policy.js';
import { parseInvoke } from '../../../electron/node/web/bridge.js';

const APP = 'app://tapedeck/index.html';
/** A valid argument for every command, by name. */
const SAMPLE_ARGS: Record<string, unknown> = {
  'watchlists:save': { watchlists: [], activeWatchlistId: 'x' },
  'market:focus': { symbol: 'AAPL' },
  'settings:save': { provider: 'demo' },
  'recording:set': { on: true },
  'export:csv': { table: 'levelone_equities' },
};

test('the validators cover exactly the contract commands', () => {
  assert.deepEqual(Object.keys(ARG_VALIDATORS).sort(), [...COMMAND_NAMES].sort());
});

test('the IPC choke point accepts every contract command from our page, and nothing else', () => {
  for (const name of COMMAND_NAMES) {
    const d = decideInvoke({ senderIsOurWindow: true, frameUrl: APP, name, arg: SAMPLE_ARGS[name] ?? null });
    assert.equal(d.ok, true, name);
  }
  assert.equal(decideInvoke({ senderIsOurWindow: true, frameUrl: APP, name: 'fs:read', arg: null }).ok, false);
  assert.equal(decideInvoke({ senderIsOurWindow: false, frameUrl: APP, name: 'app:snapshot', arg: null }).ok, false);
  assert.equal(decideInvoke({ senderIsOurWindow: true, frameUrl: 'https://evil.example/', name: 'app:snapshot', arg: null }).ok, false);
  assert.equal(decideInvoke({ senderIsOurWindow: true, frameUrl: null, name: 'app:snapshot', arg: null }).ok, false);
  const bad = decideInvoke({ senderIsOurWindow: true, frameUrl: APP, name: 'recording:set', arg: { on: 'yes' } });
  assert.deepEqual(bad.ok ? null : bad.error, 'invalid argument: expected {on: boolean}');
  assert.equal(decideInvoke({ senderIsOurWindow: true, frameUrl: APP, name: 'export:csv', arg: { table: 'x; DROP TABLE frames' } }).ok, false);
});

test('the browser bridge accepts exactly the same commands and arguments', () => {
  for (const name of COMMAND_NAMES) {
    const p = parseInvoke(JSON.stringify({ t: 'invoke', id: 1, name, arg: SAMPLE_ARGS[name] ?? null }));
    assert.equal(p.ok, true, name);
  }
  const unknown = parseInvoke(JSON.stringify({ t: 'invoke', id: 2, name: 'shell:exec', arg: 'rm -rf /' }));
  assert.deepEqual(unknown, { ok: false, id: 2, error: 'unknown command shell:exec' });
  assert.equal(parseInvoke('{').ok, false);
});

test('the built preload exposes exactly invoke and on, forwarding to the one IPC channel', () => {
  const path = fileURLToPath(new URL('../../../dist/electron/preload.cjs', import.meta.url));
  assert.ok(existsSync(path), 'dist/electron/preload.cjs is built by npm run build');
  const exposed: Record<string, unknown> = {};
  const sent: unknown[][] = [];
  const listeners: ((...a: unknown[]) => void)[] = [];
  // A stand-in for the electron module (Electron is not ours to run here); the preload is real.
  const electron = {
    contextBridge: { exposeInMainWorld: (key: string, value: unknown) => (exposed[key] = value) },
    ipcRenderer: {
      invoke: (...a: unknown[]) => {
        sent.push(['invoke', ...a]);
        return Promise.resolve('result');
      },
      send: (...a: unknown[]) => sent.push(['send', ...a]),
      on: (_channel: string, l: (...a: unknown[]) => void) => listeners.push(l),
      removeListener: () => undefined,
    },
  };
  const sandbox = { require: (id: string) => (id === 'electron' ? electron : assert.fail(`the preload required ${id}`)), module: { exports: {} }, exports: {}, queueMicrotask };
  vm.runInNewContext(readFileSync(path, 'utf8'), sandbox, { filename: path });
  assert.deepEqual(Object.keys(exposed), ['tapedeck']);
  const api = exposed.tapedeck as { invoke(n: string, a: unknown): Promise<unknown>; on(n: string, l: (p: unknown) => void): () => void };
  assert.deepEqual(Object.keys(api).sort(), ['invoke', 'on']);
  void api.invoke('app:snapshot', null);
  assert.deepEqual(sent[0], ['invoke', 'tapedeck:invoke', 'app:snapshot', null]);
  const got: unknown[] = [];
  api.on(EVENT_NAMES[0], (p) => got.push(p));
  listeners[0]!({}, 'engine:status', { x: 1 });
  listeners[0]!({}, 'engine:quotes', { y: 2 });
  assert.deepEqual(got, [{ x: 1 }]);
});
