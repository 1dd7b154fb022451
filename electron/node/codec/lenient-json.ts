/**
 * Repairs the two kinds of invalid JSON the real servers sent (docs/protocol/tdameritrade.md §7): bare U+FFFD
 * characters where a value belongs (unknown futures symbols) and raw control characters inside
 * strings (ACCT_ACTIVITY XML). Returns null when the text is still not JSON after repair.
 */
export function repairJson(text: string): unknown {
  let out = '';
  let inString = false;
  let escaped = false;
  for (let i = 0; i < text.length; i++) {
    const ch = text[i]!;
    const code = text.charCodeAt(i);
    if (inString) {
      if (escaped) {
        escaped = false;
        out += ch;
      } else if (ch === '\\') {
        escaped = true;
        out += ch;
      } else if (ch === '"') {
        inString = false;
        out += ch;
      } else if (code < 0x20) {
        out += '\\u' + code.toString(16).padStart(4, '0');
      } else {
        out += ch;
      }
      continue;
    }
    if (ch === '"') {
      inString = true;
      out += ch;
    } else if (ch === '\ufffd') {
      // A run of replacement characters stands where one value should be.
      while (text[i + 1] === '\ufffd') i++;
      out += 'null';
    } else {
      out += ch;
    }
  }
  try {
    return JSON.parse(out);
  } catch {
    return null;
  }
}
