/** The list of tables a user can export; the frame archive itself is read by frame-reader.ts. */
import { openDatabase } from '../sqlite/open-database.js';

export { readFrames, type ArchivedFrame } from './frame-reader.js';

/** Tables that hold the recorder's internals rather than data: `frames` shows the archive whole instead. */
const INTERNAL_TABLES = new Set(['frame_blocks']);

export function listTables(path: string): string[] {
  const db = openDatabase(path, { readonly: true, fileMustExist: true });
  try {
    const names = db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
    return names.filter((n) => !INTERNAL_TABLES.has(n));
  } finally {
    db.close();
  }
}
