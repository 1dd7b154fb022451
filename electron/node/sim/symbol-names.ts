/** Synthetic ticker names for generated universes: PREFIX + A, B, … Z, AA, AB, … (valid equity symbols). */
export function syntheticSymbol(i: number, prefix: string): string {
  let s = '';
  let n = i;
  do {
    s = String.fromCharCode(65 + (n % 26)) + s;
    n = Math.floor(n / 26) - 1;
  } while (n >= 0);
  return prefix + s;
}
