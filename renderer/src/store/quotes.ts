/**
 * Live quotes outside React: batches from the host are applied at most once per animation frame,
 * and only the rows whose (service, key) changed are told. Also measures update-to-paint latency.
 */
import type { QuoteRecord } from '../../../shared/engine-events.js';
import { QuoteBook } from './quote-book.js';

type Batch = { records: QuoteRecord[]; oldestReceivedAt: number };

const book = new QuoteBook();
const listeners = new Map<string, Set<() => void>>();
let queued: Batch[] = [];
let frameRequested = false;
const LATENCY_RING = 2000;
export const perf = { batchesApplied: 0, lastPaintLatencyMs: 0, latencies: [] as number[] };
// The benchmark reads the counters from the page; only when it asks for them (`?perf` in the URL).
if (new URLSearchParams(location.search).has('perf')) window.__tapedeckPerf = perf;

function flush(): void {
  frameRequested = false;
  const batches = queued;
  queued = [];
  const changed = new Set<string>();
  let oldest = Infinity;
  for (const b of batches) {
    oldest = Math.min(oldest, b.oldestReceivedAt);
    book.apply(b.records, changed);
  }
  for (const id of changed) for (const l of listeners.get(id) ?? []) l();
  perf.batchesApplied += batches.length;
  // A task queued from inside the animation frame runs once that frame has painted.
  setTimeout(() => {
    const latency = Date.now() - oldest;
    perf.lastPaintLatencyMs = latency;
    perf.latencies.push(latency);
    if (perf.latencies.length > LATENCY_RING) perf.latencies.splice(0, perf.latencies.length - LATENCY_RING);
  }, 0);
}

export function applyBatch(batch: Batch): void {
  queued.push(batch);
  if (!frameRequested) {
    frameRequested = true;
    requestAnimationFrame(flush);
  }
}

export function replaceAll(list: QuoteRecord[]): void {
  book.replaceAll(list);
  for (const set of listeners.values()) for (const l of set) l();
}

export function getQuote(id: string): QuoteRecord | undefined {
  return book.get(id);
}

export function subscribeQuote(id: string, listener: () => void): () => void {
  let set = listeners.get(id);
  if (!set) {
    set = new Set();
    listeners.set(id, set);
  }
  set.add(listener);
  return () => {
    set.delete(listener);
    if (set.size === 0) listeners.delete(id);
  };
}

export function medianLatency(): number | null {
  const recent = perf.latencies.slice(-200);
  if (recent.length === 0) return null;
  return [...recent].sort((a, b) => a - b)[Math.floor(recent.length / 2)]!;
}
