/**
 * The shape the recorder's writer (recorder/thread-sink.ts) and the PostgreSQL sink
 * (sink/sink-thread.ts) share: a worker whose first message says whether it started, then a
 * stream of messages, and an end that is reported once whether it came as an error or an exit.
 */
import type { Worker } from 'node:worker_threads';

/**
 * Waits for the worker's first message: resolves with it when `started` accepts it; otherwise
 * rejects with what `failure` makes of it and ends the worker.
 */
export function firstMessage<M, S extends M>(worker: Worker, started: (m: M) => m is S, failure: (m: M) => Error): Promise<S> {
  return new Promise((resolve, reject) => {
    const onMessage = (m: M) => {
      worker.off('message', onMessage);
      worker.off('error', onError);
      if (started(m)) return resolve(m);
      reject(failure(m));
      void worker.terminate();
    };
    const onError = (err: Error) => {
      worker.off('message', onMessage);
      reject(err);
    };
    worker.on('message', onMessage);
    worker.once('error', onError);
  });
}

/**
 * Sends the worker's later messages to `onMessage`, and its end to `onEnd` once: `stopped: …` for
 * an uncaught error, `exited (code N)` for an exit (which may be the expected end after a close).
 */
export function followWorker<M>(worker: Worker, onMessage: (m: M) => void, onEnd: (reason: string) => void): void {
  let ended = false;
  const end = (reason: string) => {
    if (ended) return;
    ended = true;
    onEnd(reason);
  };
  worker.on('message', onMessage);
  worker.on('error', (err) => end(`stopped: ${err.message}`));
  worker.on('exit', (code) => end(`exited (code ${code})`));
}
