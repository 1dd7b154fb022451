import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { TokenSet } from '../../../electron/node/auth/tokens.js';
import { memoryDocuments } from '../../../electron/node/host/document-store.js';
import { EventBus } from '../../../electron/node/host/event-bus.js';
import { MemorySecretStore } from '../../../electron/node/host/secrets.js';
import { SettingsService, type SettingsChange } from '../../../electron/node/host/settings-service.js';
import { tradingDay } from '../../../electron/node/recorder/trading-day.js';

const tokens: TokenSet = { provider: 'schwab', access_token: 'at', refresh_token: 'rt', expires_at: 1, refresh_expires_at: 2 };

async function setup(stored?: unknown) {
  const docs = memoryDocuments(stored === undefined ? {} : { settings: stored });
  const bus = new EventBus();
  const said: string[] = [];
  bus.on((name, payload) => said.push(name === 'engine:message' ? (payload as { text: string }).text : name));
  const store = new MemorySecretStore();
  const service = await SettingsService.create(docs, store, bus, (p) => `/data/${p}.db`);
  const changes: SettingsChange[] = [];
  service.onChange((c) => void changes.push(c));
  return { docs, store, service, said, changes, h: service.handlers };
}

test('a store that cannot encrypt is said at once, and the view says so', async () => {
  const { said, service } = await setup();
  assert.match(said[0]!, /cannot encrypt saved credentials/);
  assert.equal(service.view().secretStorage, 'memory');
});

test('the view never shows the app key whole nor the secret at all', async () => {
  const { h } = await setup();
  const view = await h['settings:save']({ schwab: { appKey: 'ABCDEFGHIJKLMNOPQRSTUVWXYZ012345', appSecret: 'shh-secret' } });
  assert.equal(view.schwab.appKeyMasked.startsWith('ABCD') && view.schwab.appKeyMasked.endsWith('2345'), true);
  assert.doesNotMatch(JSON.stringify(view), /EFGHIJ|shh-secret/);
  assert.equal(view.schwab.hasAppSecret, true);
});

test('changing an endpoint clears the app secret and the tokens; the app key stays', async () => {
  const { h, service, store } = await setup();
  await h['settings:save']({ provider: 'schwab', schwab: { appKey: 'KEY-0123456789', appSecret: 'SECRET' } });
  await service.setTokens('schwab', tokens);
  await h['settings:save']({ schwab: { apiBase: 'https://api.schwabapi.com' } });
  assert.equal(service.broker('schwab').secrets?.appSecret, 'SECRET', 'the same endpoint is no change');
  await h['settings:save']({ schwab: { apiBase: 'https://elsewhere.example' } });
  const saved = (await store.load()).schwab!;
  assert.deepEqual([saved.appKey, saved.appSecret, saved.tokens], ['KEY-0123456789', '', null]);
});

test('a new app key drops the tokens issued to the old one; an unchanged one keeps them', async () => {
  const { h, service } = await setup();
  await h['settings:save']({ schwab: { appKey: 'KEY-A', appSecret: 'S' } });
  await service.setTokens('schwab', tokens);
  await h['settings:save']({ schwab: { appKey: 'KEY-A' } });
  assert.ok(service.broker('schwab').secrets?.tokens);
  await h['settings:save']({ schwab: { appKey: 'KEY-B' } });
  assert.equal(service.broker('schwab').secrets?.tokens, null);
});

test('saves report whether streaming must restart: provider, or the selected broker', async () => {
  const { h, changes } = await setup();
  await h['settings:save']({ tdameritrade: { appKey: 'TD' } });
  await h['settings:save']({ provider: 'tdameritrade' });
  await h['settings:save']({ tdameritrade: { callbackUrl: 'http://127.0.0.1:9999' } });
  assert.deepEqual(changes, [
    { providerChanged: false, activeBrokerChanged: false, storageChanged: false, sinkChanged: false },
    { providerChanged: true, activeBrokerChanged: false, storageChanged: false, sinkChanged: false },
    { providerChanged: false, activeBrokerChanged: true, storageChanged: false, sinkChanged: false },
  ]);
});

test('bad URLs are refused with nothing saved; stored settings are read leniently', async () => {
  const { h, docs } = await setup({ provider: 'nonsense', schwab: { apiBase: 'ftp://x' }, recording: 'yes' });
  await assert.rejects(h['settings:save']({ schwab: { authBase: 'javascript:alert(1)' } }), /must start with http/);
  assert.equal(docs.docs.get('settings') !== undefined && (docs.docs.get('settings') as { provider: string }).provider, 'nonsense', 'nothing written on refusal');
  const view = await h['settings:get'](null);
  assert.equal(view.provider, 'demo');
  assert.equal(view.schwab.apiBase, 'https://api.schwabapi.com');
  assert.equal(view.recording, true);
  assert.equal(view.dbPath, '/data/demo.db');
});

test('recording settings round-trip: record from launch, daily files, retention, the free-space minimum and frames only', async () => {
  const { docs, service, h, changes } = await setup();
  // Defaults: recording from launch, one file kept for ever, a 1 GB floor.
  assert.deepEqual({ recording: service.view().recording, storage: service.view().storage }, { recording: true, storage: { rotate: 'none', retainDays: null, minFreeMb: 1024, typedRows: true } });
  const view = await h['settings:save']({ storage: { rotate: 'daily', retainDays: 30, minFreeMb: 2048, typedRows: false } });
  assert.deepEqual(view.storage, { rotate: 'daily', retainDays: 30, minFreeMb: 2048, typedRows: false });
  // Exports and the status bar follow the file of the day.
  assert.equal(view.dbPath, `/data/demo-${tradingDay(Date.now())}.db`);
  assert.deepEqual(changes.at(-1), { providerChanged: false, activeBrokerChanged: false, storageChanged: true, sinkChanged: false });
  service.setRecording(false);
  // Saving the same policy again is no change: the recorder is not reopened for nothing.
  await h['settings:save']({ storage: { rotate: 'daily', retainDays: 30, minFreeMb: 2048, typedRows: false } });
  assert.equal(changes.at(-1)!.storageChanged, false);

  // What was saved is what the next launch reads.
  const again = await SettingsService.create(docs, new MemorySecretStore(), new EventBus(), (p) => `/data/${p}.db`);
  assert.deepEqual({ recording: again.view().recording, storage: again.view().storage }, { recording: false, storage: { rotate: 'daily', retainDays: 30, minFreeMb: 2048, typedRows: false } });
});

test('a stored storage policy with invalid parts keeps the defaults for those parts', async () => {
  const { service } = await setup({ storage: { rotate: 'hourly', retainDays: 0, minFreeMb: 500, typedRows: 'no' } });
  assert.deepEqual(service.view().storage, { rotate: 'none', retainDays: null, minFreeMb: 500, typedRows: true });
});

test('the time zone defaults to exchange time, is saved and announced without a restart, and stored junk reads as the default', async () => {
  const { h, docs, changes, said } = await setup();
  assert.equal((await h['settings:get'](null)).timeZone, 'exchange');
  const view = await h['settings:save']({ timeZone: 'local' });
  assert.equal(view.timeZone, 'local');
  assert.equal((docs.docs.get('settings') as { timeZone: string }).timeZone, 'local');
  assert.ok(said.includes('settings:changed'), 'every window hears of it');
  assert.deepEqual(changes.at(-1), { providerChanged: false, activeBrokerChanged: false, storageChanged: false, sinkChanged: false }, 'streaming is not restarted');
  const junk = await setup({ timeZone: 'Mars/Olympus' });
  assert.equal((await junk.h['settings:get'](null)).timeZone, 'exchange');
});
