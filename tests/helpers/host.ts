/** A real Host for tests: secrets in memory, exports into the test's folder, the demo at a given pace. */
import { join } from 'node:path';
import { Host, type HostPlatform } from '../../electron/node/host/host.js';
import { MemorySecretStore } from '../../electron/node/host/secrets.js';

export function startTestHost(dir: string, demo: HostPlatform['demo'], more: Partial<HostPlatform> = {}): Promise<Host> {
  return Host.create({
    userDataPath: dir,
    secrets: new MemorySecretStore(),
    versions: {},
    appVersion: 'test',
    chooseExportTarget: async (name) => ({ path: join(dir, name), location: name }),
    demo,
    ...more,
  });
}
