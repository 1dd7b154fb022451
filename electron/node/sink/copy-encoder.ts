/**
 * PostgreSQL's binary COPY format, written by hand: an 11-byte signature, flags and header
 * extension length, then per tuple a 16-bit field count and each field as a 32-bit byte length
 * (-1 for NULL) followed by its bytes in network order, and a -1 trailer. Binary saves the server
 * parsing text numbers; it is what keeps the sink ahead of the recorder.
 *
 * SQLite is dynamically typed: a column declared INTEGER may hold 1.5 or a string if a hostile
 * feed sent one. Such a value cannot be put in the PostgreSQL column's type: it is written as NULL
 * and counted (`coerced`), never allowed to fail the COPY, which would stop shipping for good. Text
 * with NUL characters (PostgreSQL text cannot hold U+0000) gets U+FFFD in their place, also counted.
 */
export type PgType = 'int8' | 'float8' | 'text' | 'bytea';

/** A value as better-sqlite3 returns it. */
export type SqliteValue = number | bigint | string | Buffer | null;

export interface EncodedCopy {
  data: Buffer;
  rows: number;
  /** Values written as NULL or altered because the PostgreSQL type cannot hold them as stored. */
  coerced: number;
}

const SIGNATURE = Buffer.from('PGCOPY\n\xff\r\n\0', 'latin1');
const TWO_32 = 4294967296;
const INT64_LIMIT = 2 ** 63;

/** A growing output buffer; `reserve` before each write. */
export class ByteWriter {
  buf: Buffer;
  view: DataView;
  at = 0;
  constructor(size: number) {
    this.buf = Buffer.allocUnsafe(size);
    this.view = new DataView(this.buf.buffer, this.buf.byteOffset, this.buf.byteLength);
  }
  reserve(n: number): void {
    if (this.at + n <= this.buf.length) return;
    const next = Buffer.allocUnsafe(Math.max(this.buf.length * 2, this.at + n));
    this.buf.copy(next, 0, 0, this.at);
    this.buf = next;
    this.view = new DataView(next.buffer, next.byteOffset, next.byteLength);
  }
  int32(v: number): void {
    this.view.setInt32(this.at, v);
    this.at += 4;
  }
}

/**
 * Encodes `rows` (arrays of SQLite values, in the order of `types`) as one binary COPY stream. Every
 * tuple is led by `constant`, a text value the same for each row (the recorder id).
 */
export function encodeCopy(types: readonly PgType[], rows: readonly (readonly SqliteValue[])[], constant: string): EncodedCopy {
  const tuples = encodeTuples(types, rows, constant);
  return { data: Buffer.concat([COPY_HEADER, tuples.data, COPY_TRAILER]), rows: rows.length, coerced: tuples.coerced };
}

/** What opens a binary COPY stream: the signature, no flags, no header extension. */
export const COPY_HEADER = Buffer.concat([SIGNATURE, Buffer.alloc(8)]);
/** What ends one: a field count of -1. */
export const COPY_TRAILER = Buffer.from([0xff, 0xff]);

/** The tuples alone, so a stream can be sent in pieces: COPY_HEADER, any number of these, COPY_TRAILER. */
export function encodeTuples(types: readonly PgType[], rows: readonly (readonly SqliteValue[])[], constant: string): EncodedCopy {
  const w = new ByteWriter(64 + rows.length * (8 + types.length * 12));
  const lead = Buffer.from(constant, 'utf8');
  let coerced = 0;
  const fields = types.length + 1;
  const n = types.length;
  for (const row of rows) {
    // Room for the tuple header and every field's length word; values reserve their own bytes.
    w.reserve(6 + lead.length + 4 * n);
    w.view.setInt16(w.at, fields);
    w.view.setInt32(w.at + 2, lead.length);
    w.at += 6;
    w.at += lead.copy(w.buf, w.at);
    for (let i = 0; i < n; i++) {
      const v = row[i] ?? null;
      // Most of the recorder's columns are NULL in any one row: the fast path first.
      if (v === null) {
        w.reserve(4);
        w.int32(-1);
      } else if (!writeField(w, types[i]!, v)) coerced++;
    }
  }
  return { data: w.buf.subarray(0, w.at), rows: rows.length, coerced };
}

/** Writes one non-NULL field; false when the value had to be changed (NULL or repaired) to fit `type`. */
function writeField(w: ByteWriter, type: PgType, v: Exclude<SqliteValue, null>): boolean {
  switch (type) {
    case 'int8':
      return writeInt8(w, v);
    case 'float8':
      if (typeof v === 'number' || typeof v === 'bigint') {
        w.reserve(12);
        w.int32(8);
        w.view.setFloat64(w.at, Number(v));
        w.at += 8;
        return true;
      }
      return writeNull(w);
    case 'text':
      if (typeof v === 'string') return writeText(w, v);
      if (Buffer.isBuffer(v)) return writeText(w, v.toString('utf8')) && false;
      return writeText(w, String(v));
    case 'bytea': {
      const bytes = Buffer.isBuffer(v) ? v : Buffer.from(String(v), 'utf8');
      w.reserve(4 + bytes.length);
      w.int32(bytes.length);
      w.at += bytes.copy(w.buf, w.at);
      return Buffer.isBuffer(v);
    }
  }
}

/** A NULL in place of a value the type cannot hold: always a coercion. */
export function writeNull(w: ByteWriter): false {
  w.reserve(4);
  w.int32(-1);
  return false;
}

export function writeInt8(w: ByteWriter, v: Exclude<SqliteValue, null>): boolean {
  if (typeof v === 'bigint') {
    if (v < -(2n ** 63n) || v >= 2n ** 63n) return writeNull(w);
    w.reserve(12);
    w.int32(8);
    w.view.setBigInt64(w.at, v);
    w.at += 8;
    return true;
  }
  if (typeof v !== 'number' || !Number.isInteger(v) || v < -INT64_LIMIT || v >= INT64_LIMIT) return writeNull(w);
  w.reserve(12);
  w.int32(8);
  if (Number.isSafeInteger(v)) {
    // Two's complement halves without BigInt: floor keeps the high word right for negatives.
    const hi = Math.floor(v / TWO_32);
    w.view.setInt32(w.at, hi);
    w.view.setUint32(w.at + 4, v - hi * TWO_32);
  } else {
    w.view.setBigInt64(w.at, BigInt(v));
  }
  w.at += 8;
  return true;
}

/** `room`: bytes to keep free after the text (json-tuples.ts writes a row's numbers unchecked). */
export function writeText(w: ByteWriter, s: string, room = 0): boolean {
  const clean = s.includes('\0') ? s.replaceAll('\0', '\ufffd') : s;
  // At most 3 bytes per UTF-16 unit; the length is written once the bytes are.
  w.reserve(4 + clean.length * 3 + room);
  const start = w.at;
  const n = w.buf.write(clean, start + 4, 'utf8');
  w.view.setInt32(start, n);
  w.at = start + 4 + n;
  return clean === s;
}
