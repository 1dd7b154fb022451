/**
 * Merged current state per (service, key): level-one deltas merge into the last known record
 * (only what changed is overwritten, docs/protocol/schwab.md §4.4); whole and sequence deliveries replace it.
 */
import type { QuoteRecord } from '../../../shared/engine-events.js';
import type { MarketUpdate } from '../../../shared/market.js';
import { serviceSpec, type Delivery, type Dialect } from '../../../shared/protocol/services.js';

export type MergedRecord = QuoteRecord;

export class QuoteState {
  private readonly byService = new Map<string, Map<string, MergedRecord>>();
  private readonly delivery = new Map<string, Delivery>();
  private count = 0;

  constructor(private readonly dialect: Dialect) {}

  private deliveryOf(service: string): Delivery {
    let d = this.delivery.get(service);
    if (d === undefined) {
      d = serviceSpec(this.dialect, service)?.delivery ?? 'whole';
      this.delivery.set(service, d);
    }
    return d;
  }

  /** Merges one update; `receivedAt` is when its frame arrived (local time, what staleness is measured by). */
  apply(update: MarketUpdate, receivedAt: number): MergedRecord {
    let records = this.byService.get(update.service);
    if (!records) {
      records = new Map();
      this.byService.set(update.service, records);
    }
    const previous = records.get(update.key);
    if (previous && this.deliveryOf(update.service) === 'change') {
      const f = previous.fields;
      const u = update.fields;
      for (const name in u) f[name] = u[name]!;
      const m = update.meta;
      if (m.delayed !== undefined || m.assetMainType !== undefined || m.cusip !== undefined || m.assetSubType !== undefined || m.seq !== undefined) {
        previous.meta = { ...previous.meta, ...m };
      }
      previous.ts = update.ts;
      previous.receivedAt = receivedAt;
      return previous;
    }
    const record: MergedRecord = {
      service: update.service,
      key: update.key,
      ts: update.ts,
      fields: { ...update.fields },
      meta: previous ? { ...previous.meta, ...update.meta } : { ...update.meta },
      receivedAt,
    };
    if (update.book) record.book = update.book;
    if (update.actives) record.actives = update.actives;
    if (update.screener) record.screener = update.screener;
    if (update.candles) record.candles = update.candles;
    if (!previous) this.count++;
    records.set(update.key, record);
    return record;
  }

  get(service: string, key: string): MergedRecord | undefined {
    return this.byService.get(service)?.get(key);
  }

  keys(service: string): string[] {
    return [...(this.byService.get(service)?.keys() ?? [])];
  }

  services(): string[] {
    return [...this.byService.keys()];
  }

  get size(): number {
    return this.count;
  }

  clear(): void {
    this.byService.clear();
    this.count = 0;
  }
}
