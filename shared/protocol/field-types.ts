/** How a field's value is typed on the wire and stored in SQLite (REAL, INTEGER, TEXT, TEXT, JSON text). */
export type FieldType = 'number' | 'integer' | 'string' | 'boolean' | 'json';

/** One row of a field table: wire field number, snake_case name (the reference name, lower-cased), type. */
export type FieldRow = readonly [id: number, name: string, type: FieldType];

export interface FieldDef {
  readonly id: number;
  readonly name: string;
  readonly type: FieldType;
}
