/** Reading the archive back: frames in arrival order (for replay) and the list of tables. */
import { openDatabase } from '../sqlite/open-database.js';

export interface ArchivedFrame {
  id: number;
  sessionId: number;
  receivedAt: number;
  /** The frame's text; null when it was archived as bytes (a binary frame, or text that is not valid UTF-8). */
  text: string | null;
  /** The bytes of a frame archived as bytes, else null. */
  data: Uint8Array | null;
  /** FRAME_FLAGS (recorder/schema.ts). */
  flags: number;
}

export function* readFrames(path: string, range: { from?: number; to?: number; sessionId?: number } = {}): Generator<ArchivedFrame> {
  const db = openDatabase(path, { readonly: true, fileMustExist: true });
  try {
    const stmt = db.prepare(
      `SELECT id, session_id AS sessionId, received_at AS receivedAt, text, data, flags FROM frames
       WHERE received_at >= ? AND received_at <= ? AND (? IS NULL OR session_id = ?) ORDER BY id`,
    );
    const sid = range.sessionId ?? null;
    for (const row of stmt.iterate(range.from ?? 0, range.to ?? Number.MAX_SAFE_INTEGER, sid, sid)) yield row as ArchivedFrame;
  } finally {
    db.close();
  }
}

export function listTables(path: string): string[] {
  const db = openDatabase(path, { readonly: true, fileMustExist: true });
  try {
    return db.prepare("SELECT name FROM sqlite_master WHERE type = 'table' ORDER BY name").pluck().all() as string[];
  } finally {
    db.close();
  }
}
