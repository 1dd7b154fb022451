/**
 * The app's "Extra certificate authority" setting (docs/tls.md): a file that is not a certificate is
 * refused with its reason and nothing is saved; a real one is saved and used by the next HTTPS call.
 */
import assert from 'node:assert/strict';
import { writeFileSync } from 'node:fs';
import { createServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { memoryDocuments } from '../../../electron/node/host/document-store.js';
import { EventBus } from '../../../electron/node/host/event-bus.js';
import { MemorySecretStore } from '../../../electron/node/host/secrets.js';
import { SettingsService } from '../../../electron/node/host/settings-service.js';
import { trustCaFile, trustedFetch } from '../../../electron/node/net/tls-trust.js';
import { selfSignedCertificate } from '../../../electron/node/sim/tls.js';
import { tempDir } from '../../helpers/tmp.js';

const tmp = tempDir('settings-ca');
after(() => {
  trustCaFile(undefined);
  tmp.cleanup();
});

test('the extra authority setting is checked on save and trusted by our HTTPS calls', async () => {
  const material = await selfSignedCertificate('127.0.0.1');
  const server = createServer({ cert: material.cert, key: material.key }, (_req, res) => res.end('{"ok":true}'));
  await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
  try {
    const url = `https://127.0.0.1:${(server.address() as AddressInfo).port}/`;
    const service = await SettingsService.create(memoryDocuments({}), new MemorySecretStore(), new EventBus(), (p) => `/data/${p}.db`);
    await assert.rejects(trustedFetch(url), /fetch failed/, 'not trusted before the setting');

    const notPem = join(tmp.dir, 'not-a-cert.txt');
    writeFileSync(notPem, 'hello');
    await assert.rejects(service.handlers['settings:save']({ caFile: notPem }), /holds no PEM certificate/);
    assert.equal(service.view().caFile, '', 'a refused file is not saved');

    const pem = join(tmp.dir, 'ca.pem');
    writeFileSync(pem, material.cert);
    const view = await service.handlers['settings:save']({ caFile: pem });
    assert.equal(view.caFile, pem);
    assert.deepEqual(await (await trustedFetch(url)).json(), { ok: true });

    await service.handlers['settings:save']({ caFile: '' });
    await assert.rejects(trustedFetch(url), /fetch failed/, 'clearing the setting goes back to the defaults');
  } finally {
    server.close();
  }
});
