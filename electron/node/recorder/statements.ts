/**
 * The builder's numbered statements. Each SQL text (schema-sql.ts) is defined once per recorder
 * and travels to the writer with the first batch that uses it; batches then name statements by id.
 */
import { tableName } from '../../../shared/protocol/services.js';
import { SERVICE_TABLES, type ServiceTable } from './schema.js';
import { childInsertSql, deltaInsertSql, latestUpsertSql } from './schema-sql.js';
import type { StatementDef } from './write-batch.js';

/** A service's table and the statements that write it. */
export interface TableStatements {
  info: ServiceTable;
  /** Field name → position among the field columns. */
  index: Map<string, number>;
  latest: number;
  child: number | null;
  /** Delta INSERT ids by the field columns present (two 30-bit masks), then by row count. */
  inserts: Map<number, Map<number, number[]>>;
}

export class Statements {
  private readonly tables = new Map<string, TableStatements | null>();
  private next = 1;
  private fresh: StatementDef[] = [];

  /** The table of a service, or null for a service the schema has no table for. */
  table(service: string): TableStatements | null {
    let t = this.tables.get(service);
    if (t !== undefined) return t;
    const info = SERVICE_TABLES.get(tableName(service));
    t = info ? { info, index: new Map(info.fields.map((c, i) => [c.name, i])), latest: this.define(latestUpsertSql(info), info.table), child: this.defineChild(info), inserts: new Map() } : null;
    this.tables.set(service, t);
    return t;
  }

  /** The INSERT of `rows` delta rows with the field columns `fields` (whose masks are lo and hi). */
  deltaInsert(t: TableStatements, lo: number, hi: number, fields: readonly number[], rows: number): number {
    let byHi = t.inserts.get(lo);
    if (!byHi) t.inserts.set(lo, (byHi = new Map()));
    let byRows = byHi.get(hi);
    if (!byRows) byHi.set(hi, (byRows = []));
    return (byRows[rows] ??= this.define(deltaInsertSql(t.info, fields, rows), t.info.table));
  }

  /** Statements defined since the last call: the next batch carries them. */
  takeNew(): StatementDef[] {
    const fresh = this.fresh;
    this.fresh = [];
    return fresh;
  }

  private defineChild(info: ServiceTable): number | null {
    const sql = childInsertSql(info);
    return sql === null ? null : this.define(sql, info.table);
  }

  private define(sql: string, table: string): number {
    const id = this.next++;
    this.fresh.push({ id, sql, table });
    return id;
  }
}
