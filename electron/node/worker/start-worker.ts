/**
 * Starts one of Tapedeck's worker threads by its module name. Bundled (dist/), every worker is a
 * file beside the bundle that asks for it; under tsx (tests, the benchmark) it is the .ts source
 * beside the calling module, loaded through tsx's API because Node 20 workers do not inherit
 * tsx's loader hooks from the parent.
 */
import { Worker } from 'node:worker_threads';

export function startWorker(callerUrl: string, name: string, workerData: unknown): Worker {
  if (!callerUrl.endsWith('.ts')) return new Worker(new URL(`./${name}.js`, callerUrl), { workerData });
  const source = new URL(`./${name}.ts`, callerUrl).href;
  const tsx = import.meta.resolve('tsx/esm/api');
  const boot = `import(${JSON.stringify(tsx)}).then((t) => { t.register(); return import(${JSON.stringify(source)}); })`;
  return new Worker(boot, { eval: true, workerData });
}
