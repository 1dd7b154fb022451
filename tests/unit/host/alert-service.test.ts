import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { AlertsState } from '../../../shared/alerts.js';
import type { Events } from '../../../shared/api.js';
import { AlertService } from '../../../electron/node/host/alert-service.js';
import { memoryDocuments } from '../../../electron/node/host/document-store.js';
import { EventBus } from '../../../electron/node/host/event-bus.js';

function setup(stored?: unknown) {
  const docs = memoryDocuments(stored === undefined ? {} : { alerts: stored });
  const bus = new EventBus();
  const changed: AlertsState[] = [];
  const messages: string[] = [];
  bus.on((name, payload) => {
    if (name === 'alerts:changed') changed.push(payload as AlertsState);
    if (name === 'engine:message') messages.push((payload as Events['engine:message']).text);
  });
  const service = new AlertService(docs, bus, () => 'schwab');
  let replans = 0;
  service.onChange(() => replans++);
  return { docs, service, h: service.handlers, changed, messages, replans: () => replans };
}

test('create checks the symbol, persists, announces and subscribes; edit and switch off follow', async () => {
  const { docs, h, changed, service, replans } = setup();
  await assert.rejects(h['alerts:create']({ symbol: 'ibm', field: 'last', op: 'above', threshold: 1, mode: 'once' }), /upper case \(IBM\)/);
  const rule = await h['alerts:create']({ symbol: 'IBM', field: 'last', op: 'above', threshold: 1, mode: 'once' });
  assert.equal(rule.enabled, true);
  assert.deepEqual((docs.docs.get('alerts') as { alerts: unknown[] }).alerts, [rule]);
  assert.deepEqual(changed.at(-1)?.rules, [rule]);
  assert.deepEqual(service.symbols(), ['IBM']);
  assert.equal(replans(), 1);
  const off = await h['alerts:update']({ id: rule.id, enabled: false });
  assert.equal(off.enabled, false);
  assert.deepEqual(service.symbols(), [], 'a switched-off rule needs no subscription');
  const edited = await h['alerts:update']({ id: rule.id, draft: { symbol: '/ES', field: 'bid', op: 'crosses', threshold: 5000, mode: 'rearm' }, enabled: true });
  assert.deepEqual({ ...edited, id: '' }, { id: '', symbol: '/ES', field: 'bid', op: 'crosses', threshold: 5000, mode: 'rearm', enabled: true, lastFiredAt: null });
  await assert.rejects(h['alerts:update']({ id: 'gone', enabled: true }), /no longer exists/);
  assert.deepEqual((await h['alerts:delete']({ id: rule.id })).rules, []);
});

test('a saved document that is not a list of alerts is reported; nothing is kept from it', () => {
  const { service, messages } = setup({ alerts: 'oops' });
  assert.deepEqual(service.state().rules, []);
  assert.match(messages.join(), /saved alerts could not be read/);
});
