/**
 * The writer's side of the frame archive. Each commit inserts its frames, as received, into
 * `frames` (the tail): a frame is durable with the rows that reference it, as before. When the
 * writer has time (after a small commit, and on close), consecutive tail frames of one session are
 * compressed into a `frame_blocks` row (frame-block.ts) and deleted from the tail, in a transaction
 * of their own: a crash leaves them in one place or the other, never both, never neither. Under a
 * load the writer only just keeps up with, nothing is compressed and recording costs what it did;
 * the tail waits for a quieter moment (or the next run) instead.
 *
 * The tail's frames always have higher ids than any block's, since folding takes the oldest first.
 */
import type Database from 'better-sqlite3';
import { BLOCK_BYTES, encodeBlock, frameBytes, type ArchivedFrame } from './frame-block.js';
import { frameInsertSql, LAST_FRAME_ID_SQL } from './schema-sql.js';
import { ROWS_PER_INSERT, type WriteBatch } from './write-batch.js';

/** Tail rows the size estimate reads (a few hundred KB at most). */
const ESTIMATE_ROWS = 512;

export class FrameArchive {
  private readonly insertFrames: Database.Statement;
  private readonly insertFrame: Database.Statement;
  private readonly lastFrameId: Database.Statement;
  private readonly tailOldestFirst: Database.Statement;
  private readonly deleteTail: Database.Statement;
  private readonly insertBlock: Database.Statement;
  private readonly estimate: Database.Statement;
  /** Roughly the tail's bytes (a v2 file's tail: at least a block's worth when it has one). */
  private tailBytes = 0;
  private readonly foldTx: (final: boolean) => number;

  constructor(private readonly db: Database.Database) {
    this.insertFrames = db.prepare(frameInsertSql(ROWS_PER_INSERT));
    this.insertFrame = db.prepare(frameInsertSql(1));
    this.lastFrameId = db.prepare(LAST_FRAME_ID_SQL).pluck();
    this.tailOldestFirst = db.prepare('SELECT id, session_id AS sessionId, received_at AS receivedAt, text, data, flags FROM frames ORDER BY id');
    this.deleteTail = db.prepare('DELETE FROM frames WHERE id BETWEEN ? AND ?');
    this.insertBlock = db.prepare(
      'INSERT INTO frame_blocks (id, last_id, session_id, count, received_from, received_to, codec, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)',
    );
    this.estimate = db.prepare(
      `SELECT coalesce(sum(coalesce(octet_length(text), length(data), 0)), 0) AS bytes, count(*) AS n FROM (SELECT text, data FROM frames ORDER BY id LIMIT ${ESTIMATE_ROWS})`,
    );
    this.foldTx = db.transaction((final: boolean) => this.foldOne(final));
    this.reestimate();
  }

  /** Inserts a batch's frames into the tail (inside the batch's transaction); returns the first one's id. */
  append(frames: WriteBatch['frames'], sessionRow: (connectionId: number) => number | null): number {
    const firstId = (this.lastFrameId.get() as number) + 1;
    const { connectionIds, receivedAt, texts, data, flags } = frames;
    const n = texts.length;
    let i = 0;
    const params: unknown[] = [];
    for (; i + ROWS_PER_INSERT <= n; i += ROWS_PER_INSERT) {
      params.length = 0;
      for (let j = i; j < i + ROWS_PER_INSERT; j++) params.push(firstId + j, sessionRow(connectionIds[j]!), receivedAt[j], texts[j], data[j], flags[j]);
      this.insertFrames.run(params);
    }
    for (; i < n; i++) this.insertFrame.run(firstId + i, sessionRow(connectionIds[i]!), receivedAt[i], texts[i], data[i], flags[i]);
    // An estimate (UTF-16 units for bytes): it only decides when folding is worth a look.
    for (let j = 0; j < n; j++) this.tailBytes += texts[j]?.length ?? data[j]?.byteLength ?? 0;
    return firstId;
  }

  /** A block's worth of frames waits in the tail. */
  get foldDue(): boolean {
    return this.tailBytes >= BLOCK_BYTES;
  }

  /** Compresses one block from the tail if one is due; a failure (disk full) is left for a later try. */
  foldIfDue(): boolean {
    if (!this.foldDue) return false;
    try {
      return this.foldTx(false) > 0;
    } catch {
      return false;
    }
  }

  /** Compresses the whole tail, the last partial block included, until `deadline` (ms epoch). */
  foldAll(deadline: number, now: () => number = Date.now): void {
    while (now() < deadline && this.foldTx(true) > 0);
  }

  /**
   * One block from the oldest tail frames: consecutive ids of one session, up to BLOCK_BYTES. A run
   * that ends the tail is left to grow unless `final`. Returns the frames folded.
   */
  private foldOne(final: boolean): number {
    const frames: ArchivedFrame[] = [];
    let bytes = 0;
    let ended = false;
    // Collected first: the connection cannot write while a statement iterates.
    for (const f of this.tailOldestFirst.iterate() as Iterable<ArchivedFrame>) {
      const first = frames[0];
      if (first && (f.sessionId !== first.sessionId || f.id !== first.id + frames.length)) {
        ended = true;
        break;
      }
      frames.push(f);
      bytes += frameBytes(f);
      if (bytes >= BLOCK_BYTES) {
        ended = true;
        break;
      }
    }
    if (frames.length === 0 || (!ended && !final)) {
      this.tailBytes = bytes;
      return 0;
    }
    const b = encodeBlock(frames);
    this.insertBlock.run(b.id, b.lastId, b.sessionId, b.count, b.receivedFrom, b.receivedTo, b.codec, b.payload);
    this.deleteTail.run(b.id, b.lastId);
    this.reestimate();
    return frames.length;
  }

  private reestimate(): void {
    const { bytes, n } = this.estimate.get() as { bytes: number; n: number };
    // A full sample means more may follow: worth a fold either way.
    this.tailBytes = n === ESTIMATE_ROWS ? Math.max(bytes, BLOCK_BYTES) : bytes;
  }
}
