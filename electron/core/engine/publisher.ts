/**
 * Coalesces merged quotes for a display: the latest record per (service, key) wins and at most one
 * batch goes out per interval, however fast updates arrive (STYLE.md "Hot data into React").
 */
import type { QuoteRecord } from '../../../shared/engine-events.js';

export interface QuoteBatch {
  records: QuoteRecord[];
  publishedAt: number;
  /** Receive time of the oldest update folded into this batch: its age is the publish latency. */
  oldestReceivedAt: number;
}

export class QuotePublisher {
  private dirty = new Map<string, QuoteRecord>();
  private oldest = 0;
  private timer: NodeJS.Timeout | null = null;

  constructor(
    private readonly intervalMs: number,
    private readonly emit: (batch: QuoteBatch) => void,
  ) {}

  offer(record: QuoteRecord, receivedAt: number): void {
    if (this.dirty.size === 0) this.oldest = receivedAt;
    this.dirty.set(record.service + '\u0000' + record.key, record);
    if (!this.timer) {
      this.timer = setTimeout(() => this.flush(), this.intervalMs);
      this.timer.unref();
    }
  }

  flush(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    if (this.dirty.size === 0) return;
    // Records are live objects in the merged state; send copies so later merges cannot race the reader.
    const records = [...this.dirty.values()].map((r) => ({ ...r, fields: { ...r.fields }, meta: { ...r.meta } }));
    this.dirty = new Map();
    this.emit({ records, publishedAt: Date.now(), oldestReceivedAt: this.oldest });
  }

  stop(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.dirty.clear();
  }
}
