import type { TapedeckApi } from '../../../shared/api.js';

declare global {
  interface Window {
    /** Exposed by the Electron preload; absent in browser mode. */
    tapedeck?: TapedeckApi;
    __tapedeckPerf?: { batchesApplied: number; lastPaintLatencyMs: number; latencies: number[] };
  }
}
export {};
