/**
 * Coalesces merged quotes for a display: the latest record per (service, key) wins and at most one
 * batch goes out per interval, however fast updates arrive (docs/ARCHITECTURE.md "Data flow").
 * Updates after a quiet interval go out as soon as the frame that carried them is processed, so a
 * burst (a whole frame of updates) is not held back a full interval.
 */
import type { QuoteRecord } from '../../../shared/engine-events.js';

export interface QuoteBatch {
  records: QuoteRecord[];
  publishedAt: number;
  /** Receive time of the oldest update folded into this batch: its age is the publish latency. */
  oldestReceivedAt: number;
}

interface Pending {
  record: QuoteRecord;
  /** Field names changed since the last batch, or null when the whole record must go. */
  changed: Set<string> | null;
}

export class QuotePublisher {
  private dirty = new Map<string, Pending>();
  /** Keys a display has been sent in full; later batches carry only changed fields for them. */
  private readonly sentFull = new Set<string>();
  /**
   * The meta object each key was last sent with. Merged state replaces a record's meta only when a
   * value changes (e.g. the first streamed item's `delayed` after a REST snapshot made the record),
   * so a partial record carries meta exactly when the display's copy is out of date.
   */
  private readonly sentMeta = new Map<string, QuoteRecord['meta']>();
  private oldest = 0;
  private lastFlushAt = 0;
  private timer: NodeJS.Timeout | null = null;
  private immediate: NodeJS.Immediate | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly emit: (batch: QuoteBatch) => void,
  ) {}

  /** `changedFields`: the update's field names for a level-one delta, or null for a whole record. */
  offer(record: QuoteRecord, changedFields: Record<string, unknown> | null, receivedAt: number): void {
    if (this.dirty.size === 0) this.oldest = receivedAt;
    const id = record.service + '\u0000' + record.key;
    const pending = this.dirty.get(id);
    const whole = changedFields === null || !this.sentFull.has(id);
    if (!pending) {
      this.dirty.set(id, { record, changed: whole ? null : new Set(Object.keys(changedFields!)) });
    } else {
      pending.record = record;
      if (whole) pending.changed = null;
      else if (pending.changed) for (const k in changedFields) pending.changed.add(k);
    }
    if (!this.timer && !this.immediate) {
      const wait = this.lastFlushAt + this.intervalMs - Date.now();
      // After the rest of this frame's updates are offered (they are, synchronously), not before.
      if (wait <= 0) this.immediate = setImmediate(() => this.flush());
      else this.timer = setTimeout(() => this.flush(), wait);
      (this.immediate ?? this.timer)?.unref();
    }
  }

  /**
   * Called before each frame is processed (the previous frame's updates are all offered): flushes
   * when an interval has passed since the last batch. While frames arrive back to back the timers
   * that normally flush run only between the event loop's turns, which a busy socket makes long,
   * so batches (and the window's latency) would grow with the load instead of staying an interval.
   */
  flushIfDue(now: number): void {
    if (this.dirty.size > 0 && now - this.lastFlushAt >= this.intervalMs) this.flush();
  }

  flush(): void {
    this.cancel();
    if (this.dirty.size === 0) return;
    this.lastFlushAt = Date.now();
    // Records are live objects in the merged state: send copies (of only what changed, where the
    // display already has the rest) so later merges cannot race the reader.
    const records: QuoteRecord[] = [];
    for (const [id, { record: r, changed }] of this.dirty) {
      const metaChanged = this.sentMeta.get(id) !== r.meta;
      this.sentMeta.set(id, r.meta);
      if (changed === null) {
        this.sentFull.add(id);
        records.push({ ...r, fields: { ...r.fields }, meta: { ...r.meta } });
      } else {
        const fields: QuoteRecord['fields'] = {};
        for (const k of changed) fields[k] = r.fields[k]!;
        records.push({ service: r.service, key: r.key, ts: r.ts, receivedAt: r.receivedAt, meta: metaChanged ? { ...r.meta } : {}, fields, partial: true });
      }
    }
    this.dirty = new Map();
    this.emit({ records, publishedAt: Date.now(), oldestReceivedAt: this.oldest });
  }

  stop(): void {
    this.cancel();
    this.dirty.clear();
  }

  private cancel(): void {
    if (this.timer) clearTimeout(this.timer);
    if (this.immediate) clearImmediate(this.immediate);
    this.timer = null;
    this.immediate = null;
  }
}
