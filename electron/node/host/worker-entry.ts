/** The host worker thread: runs the Host off the thread that serves the windows. */
import { parentPort, workerData } from 'node:worker_threads';
import { setNativeBinding } from '../sqlite/open-database.js';
import { Host, type HostPlatform } from './host.js';
import type { Secrets, SecretStore } from './secrets.js';
import type { FromWorker, PlatformCalls, PlatformMethod, ToWorker, WorkerConfig } from './worker-protocol.js';

const port = parentPort;
if (!port) throw new Error('worker-entry must run in a worker thread');
const config = workerData as WorkerConfig;
if (config.nativeBinding) setNativeBinding(config.nativeBinding);

const post = (m: FromWorker) => port.postMessage(m);
let nextCall = 0;
const calls = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();

function callParent<M extends PlatformMethod>(method: M, ...args: PlatformCalls[M]['args']): Promise<PlatformCalls[M]['result']> {
  const id = nextCall++;
  return new Promise((resolve, reject) => {
    calls.set(id, { resolve: resolve as (v: unknown) => void, reject });
    post({ kind: 'platform', id, method, args });
  });
}

const secrets: SecretStore = {
  protection: config.secretProtection,
  load: () => callParent('secrets.load'),
  save: (s: Secrets) => callParent('secrets.save', s),
};

const platform: HostPlatform = {
  userDataPath: config.userDataPath,
  secrets,
  versions: config.versions,
  appVersion: config.appVersion,
  demo: config.demo,
  chooseExportTarget: (name) => callParent('chooseExportTarget', name),
  openLogin: config.canOpenLogin ? (url, callback) => callParent('openLogin', url, callback) : undefined,
};

const hostReady = Host.create(platform);
hostReady.then(
  (host) => {
    host.on((name, payload) => post({ kind: 'event', name, payload }));
    post({ kind: 'ready' });
  },
  (err: Error) => post({ kind: 'fatal', error: err.message }),
);

function reply(id: number, work: Promise<unknown>): void {
  work.then(
    (value) => post({ kind: 'result', id, ok: true, value }),
    (err: unknown) => post({ kind: 'result', id, ok: false, error: err instanceof Error ? err.message : String(err) }),
  );
}

port.on('message', (m: ToWorker) => {
  switch (m.kind) {
    case 'invoke':
      reply(m.id, hostReady.then((host) => host.invoke(m.name as never, m.arg as never)));
      break;
    case 'complete-login':
      reply(m.id, hostReady.then((host) => host.login.complete(m.url)));
      break;
    case 'close':
      reply(m.id, hostReady.then((host) => host.close()).finally(() => setImmediate(() => port.close())));
      break;
    case 'platform-result': {
      const call = calls.get(m.id);
      calls.delete(m.id);
      if (!call) break;
      if (m.ok) call.resolve(m.value);
      else call.reject(new Error(m.error));
      break;
    }
  }
});
