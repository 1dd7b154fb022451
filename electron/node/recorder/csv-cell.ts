/**
 * One CSV cell (RFC 4180 quoting), neutralised against formula injection: a spreadsheet opening
 * the file runs a text cell that starts with =, +, - or @ as a formula (tab and CR are treated the
 * same way by some programs), and recorded text comes from the broker, so it is not trusted. Such
 * text gets a leading apostrophe, OWASP's advice, which spreadsheets show as plain text. Numbers
 * from the database are written as they are: a number cannot be a formula, and a negative price
 * must stay a number.
 */
const FORMULA_START = /^[=+\-@\t\r]/;

export function csvCell(v: unknown): string {
  if (v === null || v === undefined) return '';
  if (typeof v === 'number' || typeof v === 'bigint') return v.toString();
  // A BLOB (frames.data: binary frames, text that was not valid UTF-8) as hex, so the CSV stays text.
  if (v instanceof Uint8Array) return Buffer.from(v.buffer, v.byteOffset, v.byteLength).toString('hex');
  let s = String(v);
  if (FORMULA_START.test(s)) s = `'${s}`;
  return /[",\r\n]/.test(s) ? `"${s.replace(/"/g, '""')}"` : s;
}
