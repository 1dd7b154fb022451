/**
 * Binary COPY tuples made straight from the text SQLite prints for a run of rows: one `json_array(…)`
 * per row, the rows joined by newlines, handed over as one Buffer (sqlite-source.ts, jsonRows). The
 * bytes are scanned once and written out as tuples, so no JavaScript value is made for a NULL, an
 * integer or an ASCII string: better-sqlite3 handing over a 60-column row as values, or JSON.parse
 * making them, cost several times what SQLite takes to print the row (bench/RESULTS.md).
 *
 * What each value becomes is exactly what encodeTuples (copy-encoder.ts) makes of the value
 * better-sqlite3 would have returned, coercions counted the same way; integers past 2^53 even
 * arrive exactly, where a JavaScript number would have rounded them. Tables with BLOB columns are
 * not read this way (JSON cannot hold a BLOB).
 */
import { ByteWriter, writeInt8, writeText, type PgType } from './copy-encoder.js';
import { DAY_MS, MAX_PARTITION_TIME } from './pg-schema.js';

export interface JsonTuples {
  data: Buffer;
  rows: number;
  /** The largest rowid (the first value of each row). */
  lastId: number;
  /** The smallest number in the time column, if it has one. */
  oldestTime: number | null;
  /** The days (received_at / DAY_MS) of the time column's integers that a daily partition can hold. */
  days: Set<number>;
  coerced: number;
}

const NEWLINE = 10;
const QUOTE = 34;
const COMMA = 44;
const MINUS = 45;
const DOT = 46;
const OPEN = 91;
const BACKSLASH = 92;
const CLOSE = 93;
const LOWER_E = 101;
const UPPER_E = 69;
const LOWER_N = 110;
/** Digits an integer may have and still be added up exactly in a double. */
const SAFE_DIGITS = 15;
const TWO_32 = 4294967296;
const POW10 = Array.from({ length: SAFE_DIGITS + 1 }, (_, k) => 10 ** k);

/**
 * Encodes `text` (rows of `json_array(rowid, …)`, newline-separated, values in `types` order) as
 * tuples led by `constant`. `timeAt` is the time column's index, or -1.
 */
export function encodeJsonRows(types: readonly PgType[], text: Buffer, constant: string, timeAt: number): JsonTuples {
  if (types.includes('bytea')) throw new Error('a table with BLOB columns cannot be read as JSON');
  const n = types.length;
  const lead = Buffer.from(constant, 'utf8');
  const w = new ByteWriter(64 + text.length * 2);
  const out: JsonTuples = { data: w.buf, rows: 0, lastId: 0, oldestTime: null, days: new Set(), coerced: 0 };
  let lastDay = -1;
  // Module constants copied in: a loader's live bindings would make each use a call.
  const dayMs = DAY_MS;
  const maxTime = MAX_PARTITION_TIME;
  const end = text.length;
  let i = 0;
  while (i < end) {
    if (text[i] !== OPEN) throw malformed(i);
    i++;
    // Room for the tuple header and every field as a number or NULL; text reserves its own bytes.
    w.reserve(6 + lead.length + 12 * n);
    w.view.setInt16(w.at, n + 1);
    w.view.setInt32(w.at + 2, lead.length);
    w.at += 6;
    w.at += lead.copy(w.buf, w.at);
    for (let col = 0; col < n; col++) {
      const c = text[i];
      if (c === LOWER_N) {
        // null
        w.view.setInt32(w.at, -1);
        w.at += 4;
        i += 4;
      } else if (c === QUOTE) {
        i = string(w, types[col]!, text, i, out, 12 * (n - col));
      } else if (c === MINUS || (c !== undefined && c >= 48 && c <= 57)) {
        // A number: its digits added up as they go, fraction digits too, counted. Up to 15 digits
        // and no exponent, digits / 10^fraction is the double JSON.parse would give (both exact, one
        // correctly rounded division: Clinger's fast path); anything longer is parsed from its text.
        let j = c === MINUS ? i + 1 : i;
        let v = 0;
        let digits = 0;
        let fraction = -1;
        for (let d = text[j]; d !== undefined; d = text[++j]) {
          if (d >= 48 && d <= 57) {
            v = v * 10 + (d - 48);
            digits++;
            if (fraction >= 0) fraction++;
          } else if (d === DOT && fraction < 0) fraction = 0;
          else break;
        }
        const next = text[j];
        const exponent = next === LOWER_E || next === UPPER_E;
        if (exponent) while (j < end && text[j] !== COMMA && text[j] !== CLOSE) j++;
        if (digits === 0) throw malformed(i);
        const real = exponent || fraction >= 0;
        const exact = !exponent && digits <= SAFE_DIGITS;
        let value: number;
        if (exact) {
          if (fraction > 0) v /= POW10[fraction]!;
          value = c === MINUS ? -v : v;
        } else value = Number(text.toString('latin1', i, j));
        if (col === 0 && value > out.lastId) out.lastId = value;
        if (col === timeAt) {
          if (out.oldestTime === null || value < out.oldestTime) out.oldestTime = value;
          if (!real && value >= 0 && value < maxTime) {
            const day = Math.floor(value / dayMs);
            if (day !== lastDay) out.days.add((lastDay = day));
          }
        }
        if (!number(w, types[col]!, text, i, j, value, exact, real, 12 * (n - col))) out.coerced++;
        i = j;
      } else {
        throw malformed(i);
      }
      const sep = text[i++];
      if (sep !== (col === n - 1 ? CLOSE : COMMA)) throw malformed(i - 1);
    }
    out.rows++;
    if (i < end && text[i++] !== NEWLINE) throw malformed(i - 1);
  }
  out.data = w.buf.subarray(0, w.at);
  return out;
}

/**
 * Writes the number text[from, to), whose value is `value`, as a field of `type`. `exact`: an
 * integer of at most 15 digits, `value` as it is. False when it had to become NULL.
 */
function number(w: ByteWriter, type: PgType, text: Buffer, from: number, to: number, value: number, exact: boolean, real: boolean, room: number): boolean {
  switch (type) {
    case 'int8':
      if (exact && !real) {
        w.int32(8);
        const hi = Math.floor(value / TWO_32);
        w.view.setInt32(w.at, hi);
        w.view.setUint32(w.at + 4, value - hi * TWO_32);
        w.at += 8;
        return true;
      }
      // A longer integer is read exactly; a real is written only when it is a whole number.
      return writeInt8(w, real ? value : BigInt(text.toString('latin1', from, to)));
    case 'float8':
      w.int32(8);
      w.view.setFloat64(w.at, value);
      w.at += 8;
      return true;
    case 'text':
      if (!real) {
        // An integer's digits are its text as they are.
        w.reserve(4 + to - from + room);
        w.int32(to - from);
        w.at += text.copy(w.buf, w.at, from, to);
        return true;
      }
      writeText(w, String(value), room);
      return true;
    case 'bytea':
      throw new Error('unreachable: BLOB columns are not read as JSON');
  }
}

/** Writes the JSON string starting at text[at] (its opening quote); returns where its value ends. */
function string(w: ByteWriter, type: PgType, text: Buffer, at: number, out: JsonTuples, room: number): number {
  let j = at + 1;
  let high = 0;
  let escaped = false;
  for (;;) {
    const b = text[j];
    if (b === undefined) throw malformed(at);
    if (b === QUOTE) break;
    if (b === BACKSLASH) {
      escaped = true;
      j += 2;
      continue;
    }
    high |= b;
    j++;
  }
  if (type !== 'text') {
    // Text in a number column: PostgreSQL's type cannot hold it.
    w.int32(-1);
    out.coerced++;
    return j + 1;
  }
  if (!escaped && high < 0x80) {
    // Plain ASCII: the bytes are the text.
    const len = j - at - 1;
    w.reserve(4 + len + room);
    w.int32(len);
    // Short strings (symbols) byte by byte: Buffer.copy's own overhead is larger than theirs.
    if (len < 32) {
      const buf = w.buf;
      for (let k = at + 1, o = w.at; k < j; k++, o++) buf[o] = text[k]!;
      w.at += len;
    } else w.at += text.copy(w.buf, w.at, at + 1, j);
    return j + 1;
  }
  // Escapes, or bytes past ASCII (which may not be valid UTF-8 in a file someone else wrote): read
  // as JavaScript does, so what arrives is what better-sqlite3 would have handed over.
  const s = escaped ? (JSON.parse(text.toString('utf8', at, j + 1)) as string) : text.toString('utf8', at + 1, j);
  if (!writeText(w, s, room)) out.coerced++;
  return j + 1;
}

function malformed(at: number): Error {
  return new Error(`unexpected JSON from SQLite at byte ${at}`);
}
