/**
 * The renderer's copy of the merged quotes, as plain data: batches from the host merged per
 * (service, key), a new object per change so rows can compare snapshots by reference. No DOM:
 * quotes.ts schedules it on animation frames; unit tests drive it directly.
 */
import type { QuoteRecord } from '../../../shared/engine-events.js';
import { routeId } from '../../../shared/routing.js';

export class QuoteBook {
  private readonly records = new Map<string, QuoteRecord>();

  /** Merges records as sent (partial ones carry only the fields that changed); returns the ids touched. */
  apply(batch: readonly QuoteRecord[], changed = new Set<string>()): Set<string> {
    for (const r of batch) {
      const id = routeId(r.service, r.key);
      const prev = r.partial ? this.records.get(id) : undefined;
      // A partial record carries meta only when it changed (a REST snapshot made the row, then the stream said it is delayed).
      const meta = (m: QuoteRecord['meta']) => (Object.keys(r.meta).length > 0 ? { ...m, ...r.meta } : m);
      this.records.set(id, prev ? { ...prev, ts: r.ts, receivedAt: r.receivedAt, fields: { ...prev.fields, ...r.fields }, meta: meta(prev.meta) } : r);
      changed.add(id);
    }
    return changed;
  }

  replaceAll(list: readonly QuoteRecord[]): void {
    this.records.clear();
    for (const r of list) this.records.set(routeId(r.service, r.key), r);
  }

  get(id: string): QuoteRecord | undefined {
    return this.records.get(id);
  }

  values(): IterableIterator<QuoteRecord> {
    return this.records.values();
  }
}
