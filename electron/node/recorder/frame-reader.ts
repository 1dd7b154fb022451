/**
 * The one way to read the frame archive back: frames in id order, verbatim, from the compressed
 * blocks and the uncompressed tail alike (and from a file of schema 1 or 2, which has no blocks).
 * Replay and the CSV export of `frames` both read through it.
 */
import type Database from 'better-sqlite3';
import { openDatabase } from '../sqlite/open-database.js';
import { decodeBlock, type ArchivedFrame, type FrameBlockRow } from './frame-block.js';

export type { ArchivedFrame };

export interface FrameRange {
  /** received_at bounds, inclusive (ms epoch). */
  from?: number;
  to?: number;
  sessionId?: number;
  /** Only frames with a larger id (a reader that resumes, such as the PostgreSQL sink). */
  afterId?: number;
}

/** Frames of the file at `path` within `range`, in id order; the file is opened read-only. */
export function* readFrames(path: string, range: FrameRange = {}): Generator<ArchivedFrame> {
  const db = openDatabase(path, { readonly: true, fileMustExist: true });
  try {
    yield* framesOf(db, range);
  } finally {
    db.close();
  }
}

/**
 * The same on an open connection. One read transaction spans blocks and tail, so a writer folding
 * frames from one into the other meanwhile neither hides nor repeats any (WAL: readers see a snapshot).
 */
export function* framesOf(db: Database.Database, range: FrameRange = {}): Generator<ArchivedFrame> {
  const from = range.from ?? Number.MIN_SAFE_INTEGER;
  const to = range.to ?? Number.MAX_SAFE_INTEGER;
  const sid = range.sessionId ?? null;
  const after = range.afterId ?? 0;
  const wanted = (f: ArchivedFrame) => f.id > after && f.receivedAt >= from && f.receivedAt <= to && (sid === null || f.sessionId === sid);
  const own = !db.inTransaction;
  if (own) db.exec('BEGIN');
  try {
    const hasBlocks = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'frame_blocks'").get() !== undefined;
    if (hasBlocks) {
      const blocks = db.prepare(
        `SELECT id, last_id AS lastId, session_id AS sessionId, count, received_from AS receivedFrom, received_to AS receivedTo, codec, payload
         FROM frame_blocks WHERE last_id > ? AND received_to >= ? AND received_from <= ? AND (? IS NULL OR session_id = ?) ORDER BY id`,
      );
      for (const row of blocks.iterate(after, from, to, sid, sid) as Iterable<FrameBlockRow>) {
        for (const f of decodeBlock(row)) if (wanted(f)) yield f;
      }
    }
    const tail = db.prepare(
      `SELECT id, session_id AS sessionId, received_at AS receivedAt, text, data, flags FROM frames
       WHERE id > ? AND received_at >= ? AND received_at <= ? AND (? IS NULL OR session_id = ?) ORDER BY id`,
    );
    for (const row of tail.iterate(after, from, to, sid, sid) as Iterable<ArchivedFrame>) yield row;
  } finally {
    if (own) db.exec('COMMIT');
  }
}
