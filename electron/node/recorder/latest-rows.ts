/**
 * `<table>_latest` rows, written at most once a second (and on close) for the keys updated since.
 * Level-one rows come from the engine's merged record of the key (QuoteState), so the recorder
 * does not merge a second time; rows of other services are the key's last update, which replaces
 * the stored row whole. A row is built only when written, from the record as it is then: with the
 * engine applying each frame before recording it, that is the merge of every update recorded.
 */
import type { MarketUpdate } from '../../../shared/market.js';
import { ACTIVES_DESCRIPTOR } from './schema.js';
import type { TableStatements } from './statements.js';
import { pushMeta, toSql } from './stored-values.js';
import type { WriteBatch } from './write-batch.js';

/** Latest rows are rewritten at most this often: they are a convenience view; delta rows are the record. */
const LATEST_EVERY_MS = 1000;

interface Due {
  source: MarketUpdate;
  receivedAt: number;
}

export class LatestRows {
  /** Per table, the keys updated since the last rows were taken. */
  private readonly due = new Map<TableStatements, Map<string, Due>>();
  private lastAt = 0;

  /** `source`: the merged record for a merging (level-one) table, the update itself otherwise. */
  note(t: TableStatements, source: MarketUpdate, receivedAt: number): void {
    let keys = this.due.get(t);
    if (!keys) this.due.set(t, (keys = new Map()));
    const d = keys.get(source.key);
    if (d) {
      d.source = source;
      d.receivedAt = receivedAt;
    } else keys.set(source.key, { source, receivedAt });
  }

  /** The rows due, when a second has passed since the last ones (always, when `final`). */
  take(final: boolean): WriteBatch['latest'] {
    const now = Date.now();
    if (!final && now - this.lastAt < LATEST_EVERY_MS) return [];
    this.lastAt = now;
    const rows: WriteBatch['latest'] = [];
    for (const [t, keys] of this.due) {
      for (const d of keys.values()) rows.push({ stmt: t.latest, params: latestParams(t, d.source, d.receivedAt) });
      keys.clear();
    }
    return rows;
  }
}

/** Parameters in the order of latestColumns (schema-sql.ts): key, updated_at, ts, meta, fields. */
function latestParams(t: TableStatements, u: MarketUpdate, receivedAt: number): unknown[] {
  const row: unknown[] = [u.key, receivedAt, u.ts];
  pushMeta(row, u.meta);
  const fixed = row.length;
  for (let i = 0; i < t.info.fields.length; i++) row.push(null);
  for (const name in u.fields) {
    const i = t.index.get(name);
    if (i !== undefined) row[fixed + i] = toSql(u.fields[name]);
  }
  if (u.actives) for (const column of ACTIVES_DESCRIPTOR) row[fixed + t.index.get(column.name)!] = column.value(u.actives);
  return row;
}
