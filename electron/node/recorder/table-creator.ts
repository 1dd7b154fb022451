/**
 * Creates a service's tables the first time a statement for them is prepared, inside the
 * transaction that writes the first row, so a file holds tables only for what was streamed into it.
 */
import type Database from 'better-sqlite3';
import { SERVICE_TABLES } from './schema.js';
import { serviceTableSql } from './schema-sql.js';

export class TableCreator {
  /** Tables known to exist; forgotten when a transaction that may have created one rolls back. */
  private readonly present = new Set<string>();

  constructor(private readonly db: Database.Database) {}

  /** `table`: a service table name (SERVICE_TABLES); its `_latest` and child tables come with it. */
  ensure(table: string): void {
    if (this.present.has(table)) return;
    const t = SERVICE_TABLES.get(table);
    if (!t) throw new Error(`no service table '${table}'`);
    for (const sql of serviceTableSql(t)) this.db.exec(sql);
    this.present.add(table);
  }

  forget(): void {
    this.present.clear();
  }
}
