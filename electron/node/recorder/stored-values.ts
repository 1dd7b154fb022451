/** How the values of an update are stored in its delta and latest rows: shared so both agree. */
import type { FieldValue, ItemMeta } from '../../../shared/market.js';

/** SQLite has no booleans: 0/1. An absent value is NULL. */
export function toSql(v: FieldValue | undefined): unknown {
  if (v === undefined) return null;
  if (typeof v === 'boolean') return v ? 1 : 0;
  return v;
}

/**
 * Appends the META_COLUMNS of schema.ts, in order: seq, delayed, asset_main_type, asset_sub_type,
 * cusip. Pushed, not returned as a tuple: it runs once per update on the ingest thread.
 */
export function pushMeta(out: unknown[], meta: ItemMeta): void {
  out.push(meta.seq ?? null, meta.delayed === undefined ? null : meta.delayed ? 1 : 0, meta.assetMainType ?? null, meta.assetSubType ?? null, meta.cusip ?? null);
}
