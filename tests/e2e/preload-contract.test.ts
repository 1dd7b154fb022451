/**
 * The preload as built: it exposes exactly invoke/on and forwards to the one IPC channel. The
 * electron module is a stand-in (Electron is not ours to run here); the bundle is the real one.
 */
import assert from 'node:assert/strict';
import { existsSync, readFileSync } from 'node:fs';
import { test } from 'node:test';
import { fileURLToPath } from 'node:url';
import vm from 'node:vm';
import { EVENT_NAMES } from '../../shared/api.js';

test('the built preload exposes exactly invoke and on, forwarding to the one IPC channel', () => {
  const path = fileURLToPath(new URL('../../dist/electron/preload.cjs', import.meta.url));
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
  api.on(EVENT_NAMES[0]!, (p) => got.push(p));
  listeners[0]!({}, 'engine:status', { x: 1 });
  listeners[0]!({}, 'engine:quotes', { y: 2 });
  assert.deepEqual(got, [{ x: 1 }]);
});
