/**
 * Text that came from a server (a frame, an error body, a close reason) made safe to show: on a
 * terminal, in a log or in a window. Control characters are escaped (ESC as `\x1b`, a newline as
 * `\n`), so nothing a server sends can move the cursor, retitle the terminal or forge a line; and
 * the text is cut to a sane length, with the total noted. Printable Unicode is kept as it is, and
 * backslashes are not escaped, so escaping twice changes nothing.
 *
 * Also here: lone UTF-16 surrogates, which JSON can carry (`"\ud800"`) but UTF-8, and so SQLite
 * text, cannot.
 */

/** Characters shown by default; a line of the CLI or a message in the window stays readable. */
export const SAFE_TEXT_MAX = 300;
/** A whole message in the window (which may quote server text at SAFE_TEXT_MAX). */
export const MESSAGE_MAX = 500;

/**
 * C0 controls, DEL, C1 controls, the line and paragraph separators, bidirectional overrides and
 * isolates (which reorder what follows them on screen), the byte-order mark and lone surrogates.
 */
const UNSAFE = /[\u0000-\u001f\u007f-\u009f\u2028\u2029\u202a-\u202e\u2066-\u2069\ufeff]|[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const UNSAFE_TEST = new RegExp(UNSAFE.source);

const NAMED: Record<string, string> = { '\n': '\\n', '\r': '\\r', '\t': '\\t' };

function escapeChar(ch: string): string {
  const named = NAMED[ch];
  if (named) return named;
  const code = ch.charCodeAt(0);
  return code <= 0xff ? `\\x${code.toString(16).padStart(2, '0')}` : `\\u${code.toString(16).padStart(4, '0')}`;
}

/** `text` with every unsafe character escaped; unchanged (the same string) when there is none. */
export function escapeControls(text: string): string {
  return UNSAFE_TEST.test(text) ? text.replace(UNSAFE, escapeChar) : text;
}

/**
 * Server text ready to print: escaped, and at most `max` characters (an escape sequence is never
 * split) plus a note of the total when cut (`… (200,086 characters)`). Anything that is not a
 * string is shown as its type.
 */
export function safeText(text: unknown, max = SAFE_TEXT_MAX): string {
  if (typeof text !== 'string') return text === undefined || text === null ? '' : `(${typeof text})`;
  if (text.length <= max && !UNSAFE_TEST.test(text)) return text;
  // Bounded work for a huge string: only the first `max` characters can be shown.
  let out = '';
  let i = 0;
  for (; i < text.length && i < max; i++) {
    const code = text.charCodeAt(i);
    const pair = code >= 0xd800 && code <= 0xdbff && isLowSurrogate(text.charCodeAt(i + 1));
    const piece = pair ? text.slice(i, i + 2) : escapeControls(text[i]!);
    if (out.length + piece.length > max) break;
    out += piece;
    if (pair) i++;
  }
  return i < text.length ? `${out}… (${text.length.toLocaleString('en-US')} characters)` : out;
}

const isLowSurrogate = (code: number) => code >= 0xdc00 && code <= 0xdfff;

const LONE_SURROGATE = /[\ud800-\udbff](?![\udc00-\udfff])|(?<![\ud800-\udbff])[\udc00-\udfff]/g;
const LONE_SURROGATE_TEST = new RegExp(LONE_SURROGATE.source);

type NativeWellFormed = { isWellFormed?: () => boolean; toWellFormed?: () => string };
/** Node 20 and current browsers have both natively (ES2024), which is much faster than a regex. */
const native = typeof (String.prototype as NativeWellFormed).isWellFormed === 'function';

/** True when `text` can be written as UTF-8 unchanged (it holds no lone surrogate). */
export function isWellFormed(text: string): boolean {
  return native ? (text as unknown as NativeWellFormed).isWellFormed!() : !LONE_SURROGATE_TEST.test(text);
}

/** `text` with every lone surrogate replaced by U+FFFD; the same string when there is none. */
export function toWellFormed(text: string): string {
  return isWellFormed(text) ? text : text.replace(LONE_SURROGATE, '\ufffd');
}
