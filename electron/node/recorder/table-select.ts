/**
 * The rows of one table an export reads, with the filters every table export offers: a time range
 * on the table's receive-time column and one key. Tables are read generically (PRAGMA table_info),
 * so a table added later, or one whose layout another version changed, exports without code here.
 */
import type Database from 'better-sqlite3';

export interface TableFilter {
  /** ms since the epoch, inclusive */
  from?: number;
  /** ms since the epoch, inclusive */
  to?: number;
  key?: string;
}

export interface TableColumn {
  name: string;
  /** as declared in CREATE TABLE ('' when none) */
  declaredType: string;
}

export interface TableSelect {
  columns: TableColumn[];
  sql: string;
  params: unknown[];
}

/** The database's own tables, in name order (SQLite's internal ones left out). */
export function listTables(db: Database.Database): string[] {
  return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").pluck().all() as string[];
}

export function tableColumns(db: Database.Database, table: string): TableColumn[] {
  return (db.prepare(`PRAGMA table_info(${quoteName(table)})`).all() as { name: string; type: string }[]).map((c) => ({ name: c.name, declaredType: c.type }));
}

/** Which column a time filter applies to: the receive time of a row, or of a latest row. */
export function timeColumnOf(columns: readonly TableColumn[]): string | null {
  const names = new Set(columns.map((c) => c.name));
  return names.has('received_at') ? 'received_at' : names.has('updated_at') ? 'updated_at' : null;
}

/** Why `filter` cannot apply to this table, or null when it can. */
export function filterProblem(table: string, columns: readonly TableColumn[], filter: TableFilter): string | null {
  if ((filter.from !== undefined || filter.to !== undefined) && !timeColumnOf(columns)) return `${table} has no time column to filter on`;
  if (filter.key !== undefined && !columns.some((c) => c.name === 'key')) return `${table} has no key column`;
  return null;
}

/** The SELECT of `table`'s rows under `filter`, in id order where there is one. Throws filterProblem's reason. */
export function selectTable(db: Database.Database, table: string, filter: TableFilter): TableSelect {
  if (!listTables(db).includes(table)) throw new Error(`no table '${table}' in the database`);
  const columns = tableColumns(db, table);
  const problem = filterProblem(table, columns, filter);
  if (problem) throw new Error(problem);
  const where: string[] = [];
  const params: unknown[] = [];
  const time = timeColumnOf(columns);
  if (filter.from !== undefined) {
    where.push(`${quoteName(time!)} >= ?`);
    params.push(filter.from);
  }
  if (filter.to !== undefined) {
    where.push(`${quoteName(time!)} <= ?`);
    params.push(filter.to);
  }
  if (filter.key !== undefined) {
    where.push('key = ?');
    params.push(filter.key);
  }
  const order = columns.some((c) => c.name === 'id') ? ' ORDER BY id' : '';
  const names = columns.map((c) => quoteName(c.name)).join(', ');
  return { columns, sql: `SELECT ${names} FROM ${quoteName(table)}${where.length ? ` WHERE ${where.join(' AND ')}` : ''}${order}`, params };
}

/** An identifier as SQL text: names come from the database itself, and may hold any character. */
export function quoteName(name: string): string {
  return `"${name.replaceAll('"', '""')}"`;
}
