/**
 * Preloaded by the test runner and the benchmark (`--import`): workers started from TypeScript
 * sources load through tsx's API, because Node 20 workers do not inherit the parent's loader hooks.
 */
import { Worker } from 'node:worker_threads';
import { setWorkerStarter } from '../../electron/node/worker/start-worker.js';

setWorkerStarter((callerUrl, name, workerData) => {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), { workerData });
  const source = new URL(`./${name}.ts`, callerUrl).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { eval: true, workerData });
});
