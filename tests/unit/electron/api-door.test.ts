/**
 * The contract's door, checked where it stands: the IPC choke point and the browser bridge accept
 * exactly the contract's commands, with parsed arguments, and nothing else.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { COMMAND_NAMES, parseCall, type CommandName } from '../../../shared/api.js';
import { decideInvoke } from '../../../electron/main/ipc-policy.js';
import { parseInvoke } from '../../../electron/node/web/bridge.js';

const APP = 'app://tapedeck/index.html';
/** A valid argument for every command (the type makes a new command add its sample here). */
const SAMPLE_ARGS: { [K in CommandName]: unknown } = {
  'app:snapshot': null,
  'app:about': undefined,
  'watchlist:create': { name: 'Futures' },
  'watchlist:rename': { id: 'default', name: 'Main' },
  'watchlist:delete': { id: 'default' },
  'watchlist:reorder': { ids: ['b', 'a'] },
  'watchlist:add-symbols': { id: 'default', symbols: ['AAPL', '/ES'] },
  'watchlist:remove-symbols': { id: 'default', symbols: ['AAPL'] },
  'watchlist:set-columns': { id: 'default', columns: { order: ['symbol', 'bid', 'last'], hidden: ['volume'], widths: { last: 120 } } },
  'market:focus': { symbol: 'AAPL' },
  'settings:get': null,
  'settings:save': { provider: 'demo' },
  'auth:login': null,
  'auth:logout': null,
  'recording:set': { on: true },
  'export:database': null,
  'export:csv': { table: 'levelone_equities' },
  'db:tables': null,
  'alerts:list': null,
  'alerts:create': { symbol: 'AAPL', field: 'last', op: 'above', threshold: 230, mode: 'once' },
  'alerts:update': { id: 'a1', enabled: false },
  'alerts:delete': { id: 'a1' },
  'alerts:clear-history': null,
};

test('every command parses its sample argument and refuses a wrong one', () => {
  assert.deepEqual(Object.keys(SAMPLE_ARGS).sort(), [...COMMAND_NAMES].sort());
  for (const name of COMMAND_NAMES) {
    assert.equal(parseCall(name, SAMPLE_ARGS[name]).ok, true, name);
    assert.equal(parseCall(name, { unexpected: 'x'.repeat(10) }).ok, false, `${name} refuses an argument of the wrong shape`);
  }
});

test('arguments are normalised at the door: names trimmed, unknown keys refused, sizes bounded', () => {
  const created = parseCall('watchlist:create', { name: '  Futures  ' });
  assert.deepEqual(created, { ok: true, name: 'watchlist:create', arg: { name: 'Futures' } });
  assert.equal(parseCall('watchlist:create', { name: '   ' }).ok, false);
  assert.equal(parseCall('watchlist:create', { name: 'x'.repeat(65) }).ok, false);
  assert.equal(parseCall('settings:save', { provider: 'demo', extra: 1 }).ok, false);
  assert.equal(parseCall('watchlist:add-symbols', { id: 'default', symbols: [] }).ok, false);
  assert.equal(parseCall('watchlist:add-symbols', { id: '../etc', symbols: ['AAPL'] }).ok, false);
  assert.equal(parseCall('export:csv', { table: 'quote', from: Number.NaN }).ok, false);
});

test('the IPC choke point accepts every contract command from our page, and nothing else', () => {
  for (const name of COMMAND_NAMES) {
    const d = decideInvoke({ senderIsOurWindow: true, frameUrl: APP, name, arg: SAMPLE_ARGS[name] });
    assert.equal(d.ok, true, name);
  }
  assert.equal(decideInvoke({ senderIsOurWindow: true, frameUrl: APP, name: 'fs:read', arg: null }).ok, false);
  assert.equal(decideInvoke({ senderIsOurWindow: false, frameUrl: APP, name: 'app:snapshot', arg: null }).ok, false);
  assert.equal(decideInvoke({ senderIsOurWindow: true, frameUrl: 'https://evil.example/', name: 'app:snapshot', arg: null }).ok, false);
  assert.equal(decideInvoke({ senderIsOurWindow: true, frameUrl: null, name: 'app:snapshot', arg: null }).ok, false);
  const bad = decideInvoke({ senderIsOurWindow: true, frameUrl: APP, name: 'recording:set', arg: { on: 'yes' } });
  assert.match(bad.ok ? '' : bad.error, /^refused: invalid argument for recording:set \(on\): /);
  assert.equal(decideInvoke({ senderIsOurWindow: true, frameUrl: APP, name: 'export:csv', arg: { table: 'x; DROP TABLE frames' } }).ok, false);
});

test('the browser bridge accepts exactly the same commands and arguments', () => {
  for (const name of COMMAND_NAMES) {
    const p = parseInvoke(JSON.stringify({ t: 'invoke', id: 1, name, arg: SAMPLE_ARGS[name] ?? null }));
    assert.deepEqual(p.ok && p.message.arg, parseCall(name, SAMPLE_ARGS[name]).ok && (parseCall(name, SAMPLE_ARGS[name]) as { arg: unknown }).arg, name);
    assert.equal(p.ok, true, name);
  }
  const unknown = parseInvoke(JSON.stringify({ t: 'invoke', id: 2, name: 'shell:exec', arg: 'rm -rf /' }));
  assert.deepEqual(unknown, { ok: false, id: 2, error: 'unknown command shell:exec' });
  assert.equal(parseInvoke('{').ok, false);
});
