import { statSync } from 'node:fs';

/** Bytes of a database and its write-ahead log (the WAL holds what is not yet checkpointed). */
export function dbBytes(path: string): number {
  let bytes = 0;
  for (const suffix of ['', '-wal']) {
    try {
      bytes += statSync(path + suffix).size;
    } catch {
      // No WAL file yet.
    }
  }
  return bytes;
}
