/**
 * Merged current state per (service, key): level-one deltas merge into the last known record
 * (only what changed is overwritten, docs/protocol/schwab.md §4.4); whole and sequence deliveries replace it.
 */
import type { QuoteRecord } from '../../../shared/engine-events.js';
import type { FieldValue, ItemMeta, MarketUpdate } from '../../../shared/market.js';
import { serviceSpec, type Delivery, type Dialect } from '../../../shared/protocol/services.js';

export type MergedRecord = QuoteRecord;

const META_KEYS = ['delayed', 'assetMainType', 'assetSubType', 'cusip', 'seq'] as const;

function metaChanges(before: ItemMeta, update: ItemMeta): boolean {
  for (const k of META_KEYS) if (update[k] !== undefined && update[k] !== before[k]) return true;
  return false;
}

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
      // A new meta object only when a value changes: the publisher sends meta again when it is a new object.
      if (metaChanges(previous.meta, update.meta)) previous.meta = { ...previous.meta, ...update.meta };
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

  /**
   * Fills fields of (service, key) that no update has set yet, from a snapshot taken elsewhere (a
   * REST quote). Streamed values always win, whichever arrived first. Returns the record and the
   * fields it filled (null when it filled none); a record made here counts as received now.
   */
  fillMissing(service: string, key: string, fields: Record<string, FieldValue>, ts: number, receivedAt: number): { record: MergedRecord; filled: Record<string, FieldValue> | null } | null {
    let records = this.byService.get(service);
    if (!records) {
      records = new Map();
      this.byService.set(service, records);
    }
    const existing = records.get(key);
    if (!existing) {
      const record: MergedRecord = { service, key, ts, fields: { ...fields }, meta: {}, receivedAt };
      records.set(key, record);
      this.count++;
      return { record, filled: null };
    }
    const filled: Record<string, FieldValue> = {};
    for (const name in fields) {
      if (existing.fields[name] === undefined) existing.fields[name] = filled[name] = fields[name]!;
    }
    return Object.keys(filled).length > 0 ? { record: existing, filled } : null;
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
