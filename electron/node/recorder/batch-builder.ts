/**
 * The recorder's front half: turns recorded frames into WriteBatches of statement parameters for
 * the writer. Runs on the ingest thread and never touches SQLite, so the writer can live on a
 * thread of its own. Delta rows are encoded by DeltaChunks, latest rows come from LatestRows, and
 * the SQL they use is numbered by Statements.
 */
import type { MarketUpdate } from '../../../shared/market.js';
import { DeltaChunks } from './delta-chunks.js';
import { LatestRows } from './latest-rows.js';
import { Statements } from './statements.js';
import type { ConnectionBegin, ConnectionEnd, WriteBatch } from './write-batch.js';

export interface RecordedFrame {
  /** The connection the frame came on (its `sessions` row once begun). */
  connectionId: number;
  receivedAt: number;
  text: string;
  updates: readonly MarketUpdate[];
  /**
   * The merged record each update produced (QuoteState.apply), in the same order. Latest rows of
   * level-one services are built from them when next due, so the live records may be passed.
   */
  merged: readonly MarketUpdate[];
}

/** A connection as the `sessions` table logs it. */
export interface ConnectionInfo {
  connectionId: number;
  provider: string;
  dialect: string;
  url: string;
  startedAt?: number;
}

export class BatchBuilder {
  private readonly statements = new Statements();
  private readonly deltas = new DeltaChunks(this.statements);
  private readonly latest = new LatestRows();
  private connectionsBegun: ConnectionBegin[] = [];
  private connectionsEnded: ConnectionEnd[] = [];
  private frames: WriteBatch['frames'] = { connectionIds: [], receivedAt: [], texts: [] };
  /** Rows (frames and deltas) in the batch being built. */
  pendingRows = 0;

  get pendingFrames(): number {
    return this.frames.texts.length;
  }

  beginConnection(info: ConnectionInfo): void {
    this.connectionsBegun.push({ connectionId: info.connectionId, provider: info.provider, dialect: info.dialect, url: info.url, startedAt: info.startedAt ?? Date.now() });
  }

  endConnection(connectionId: number, reason: string, endedAt = Date.now()): void {
    this.connectionsEnded.push({ connectionId, reason, endedAt });
  }

  add(frame: RecordedFrame): void {
    const frameIdx = this.frames.texts.length;
    this.frames.connectionIds.push(frame.connectionId);
    this.frames.receivedAt.push(frame.receivedAt);
    this.frames.texts.push(frame.text);
    this.pendingRows++;
    const { updates, merged, receivedAt } = frame;
    for (let i = 0; i < updates.length; i++) {
      const u = updates[i]!;
      const t = this.statements.table(u.service);
      if (!t) continue;
      this.deltas.add(t, u, frameIdx, receivedAt);
      // Level-one tables keep the merged record; the others' latest row is the update itself.
      this.latest.note(t, t.info.merges ? merged[i]! : u, receivedAt);
      this.pendingRows++;
    }
  }

  /** Takes what has been built; latest rows are included when due (or always, when `final`). */
  take(final = false): WriteBatch {
    const { chunks, values, keys } = this.deltas.take();
    const latest = this.latest.take(final);
    const batch: WriteBatch = {
      // After the deltas: closing the last chunk may define its INSERT.
      statements: this.statements.takeNew(),
      connectionsBegun: this.connectionsBegun,
      frames: this.frames,
      chunks,
      values,
      keys,
      latest,
      connectionsEnded: this.connectionsEnded,
    };
    this.connectionsBegun = [];
    this.connectionsEnded = [];
    this.frames = { connectionIds: [], receivedAt: [], texts: [] };
    this.pendingRows = 0;
    return batch;
  }
}
