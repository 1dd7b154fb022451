/**
 * Starts one of Tapedeck's worker threads by its module name: the bundled file beside the bundle
 * that asks for it (dist/). Tests and the benchmark run the TypeScript sources instead and install
 * their own starter (tests/helpers/tsx-workers.ts, preloaded with --import), since Node 20 workers
 * do not inherit tsx's loader from the parent; product code has no such path.
 */
import { Worker } from 'node:worker_threads';

export type WorkerStarter = (callerUrl: string, name: string, workerData: unknown) => Worker;

let starter: WorkerStarter = (callerUrl, name, workerData) => new Worker(new URL(`./${name}.js`, callerUrl), { workerData });

export function setWorkerStarter(next: WorkerStarter): void {
  starter = next;
}

export function startWorker(callerUrl: string, name: string, workerData: unknown): Worker {
  return starter(callerUrl, name, workerData);
}
