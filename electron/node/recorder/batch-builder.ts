/**
 * The recorder's front half: turns recorded frames into WriteBatches of statement parameters for
 * the writer. Runs on the ingest thread and never touches SQLite, so the writer can live on a
 * thread of its own. Delta rows are encoded by DeltaChunks, latest rows come from LatestRows, and
 * the SQL they use is numbered by Statements.
 */
import type { MarketUpdate } from '../../../shared/market.js';
import { isWellFormed, toWellFormed } from '../../../shared/safe-text.js';
import { DeltaChunks } from './delta-chunks.js';
import { LatestRows } from './latest-rows.js';
import { FRAME_FLAGS } from './schema.js';
import { Statements } from './statements.js';
import type { AlertRow, ConnectionBegin, ConnectionEnd, PauseEvent, PriceHistoryRow, WriteBatch } from './write-batch.js';

/** A frame exactly as received, archived before anything else is done with it. */
export interface ReceivedFrame {
  /** The connection the frame came on (its `sessions` row once begun). */
  connectionId: number;
  receivedAt: number;
  /** A text frame's text; for a binary frame or text that is not valid UTF-8, what `bytes` decode to (or ''). */
  text: string;
  /** The bytes as received, when text cannot hold them: a binary frame, or a text frame that is not valid UTF-8. */
  bytes?: Uint8Array | null;
  /** A binary WebSocket frame (its bytes are in `bytes`). */
  binary?: boolean;
}

/** What decoding the frame archived last produced. */
export interface DecodedResult {
  receivedAt: number;
  updates: readonly MarketUpdate[];
  /**
   * The merged record each update produced (QuoteState.apply), in the same order. Latest rows of
   * level-one services are built from them when next due, so the live records may be passed.
   */
  merged: readonly MarketUpdate[];
  /** Lone surrogates in decoded strings were replaced (FRAME_FLAGS.repairedText). */
  repairedText?: boolean;
  /** The text could not be decoded at all (FRAME_FLAGS.notDecoded). */
  notDecoded?: boolean;
}

/** A frame and what it decoded to, recorded at once (replay --out, tests). */
export type RecordedFrame = ReceivedFrame & DecodedResult;

/** A connection as the `sessions` table logs it. */
export interface ConnectionInfo {
  connectionId: number;
  provider: string;
  dialect: string;
  url: string;
  startedAt?: number;
}

export interface BatchBuilderOptions {
  /**
   * One typed row per update in the service tables (default). Off, a file keeps the frame archive
   * and the `_latest` rows only — a fifth of the size — and `tapedeck replay --out` rebuilds the
   * typed tables from the frames whenever they are wanted (README "Size, daily files…").
   */
  typedRows?: boolean;
}

export class BatchBuilder {
  private readonly typedRows: boolean;
  private readonly statements = new Statements();
  private readonly deltas = new DeltaChunks(this.statements);
  private readonly latest = new LatestRows();
  private connectionsBegun: ConnectionBegin[] = [];
  private connectionsEnded: ConnectionEnd[] = [];
  private alerts: AlertRow[] = [];
  private pauses: PauseEvent[] = [];
  private frames: WriteBatch['frames'] = emptyFrames();
  private priceHistoryRows: PriceHistoryRow[] = [];
  /** Rows (frames and deltas) in the batch being built. */
  pendingRows = 0;

  constructor(opts: BatchBuilderOptions = {}) {
    this.typedRows = opts.typedRows ?? true;
  }

  get pendingFrames(): number {
    return this.frames.texts.length;
  }

  beginConnection(info: ConnectionInfo): void {
    // Server text (a URL, a close reason) must be valid UTF-8 to be stored as SQLite text.
    const { provider, dialect, url } = info;
    this.connectionsBegun.push({ connectionId: info.connectionId, provider: toWellFormed(provider), dialect: toWellFormed(dialect), url: toWellFormed(url), startedAt: info.startedAt ?? Date.now() });
  }

  endConnection(connectionId: number, reason: string, endedAt = Date.now()): void {
    this.connectionsEnded.push({ connectionId, reason: toWellFormed(reason), endedAt });
  }

  /**
   * Archives a frame as received: text when it is valid UTF-8 text, otherwise its bytes (a copy,
   * so a view into a larger socket buffer does not travel to the writer whole).
   */
  archive(frame: ReceivedFrame): void {
    const f = this.frames;
    f.connectionIds.push(frame.connectionId);
    f.receivedAt.push(frame.receivedAt);
    if (frame.binary || frame.bytes) {
      f.texts.push(null);
      f.data.push(frame.bytes ? new Uint8Array(frame.bytes) : new Uint8Array(0));
      f.flags.push(frame.binary ? FRAME_FLAGS.binary : FRAME_FLAGS.notUtf8);
    } else if (isWellFormed(frame.text)) {
      f.texts.push(frame.text);
      f.data.push(null);
      f.flags.push(0);
    } else {
      // Only a caller handing over a string with lone surrogates gets here (a socket delivers bytes):
      // its exact code units are kept as WTF-8 bytes, which is what SQLite text cannot hold.
      f.texts.push(null);
      f.data.push(wtf8(frame.text));
      f.flags.push(FRAME_FLAGS.notUtf8);
    }
    this.pendingRows++;
  }

  /** Adds the rows of what the frame archived last decoded to (before anything else is archived). */
  decoded(result: DecodedResult): void {
    const frameIdx = this.frames.texts.length - 1;
    if (frameIdx < 0) throw new Error('decoded() without an archived frame');
    if (result.repairedText) this.frames.flags[frameIdx]! |= FRAME_FLAGS.repairedText;
    if (result.notDecoded) this.frames.flags[frameIdx]! |= FRAME_FLAGS.notDecoded;
    const { updates, merged, receivedAt } = result;
    for (let i = 0; i < updates.length; i++) {
      const u = updates[i]!;
      const t = this.statements.table(u.service);
      if (!t) continue;
      // Level-one tables keep the merged record; the others' latest row is the update itself.
      this.latest.note(t, t.info.merges ? merged[i]! : u, receivedAt);
      if (!this.typedRows) continue;
      this.deltas.add(t, u, frameIdx, receivedAt);
      this.pendingRows++;
    }
  }

  /** REST price-history candles (their own table, source 'rest'). */
  priceHistory(rows: readonly PriceHistoryRow[]): void {
    for (const r of rows) this.priceHistoryRows.push(r);
    this.pendingRows += rows.length;
  }

  /**
   * An alert firing. Alerts fire while the frame that carried the update is processed, after it was
   * archived: that frame is the last one in this batch (none when recording began since).
   */
  alert(row: Omit<AlertRow, 'frameIdx'>): void {
    const frameIdx = this.frames.texts.length - 1;
    this.alerts.push({ ...row, rule: toWellFormed(row.rule), frameIdx: frameIdx >= 0 ? frameIdx : null });
    this.pendingRows++;
  }

  /** Recording paused or resumed (the file stays open; the gap is noted in `recording_pauses`). */
  notePause(event: PauseEvent): void {
    this.pauses.push(event);
  }

  add(frame: RecordedFrame): void {
    this.archive(frame);
    this.decoded(frame);
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
      priceHistory: this.priceHistoryRows,
      alerts: this.alerts,
      pauses: this.pauses,
    };
    this.priceHistoryRows = [];
    this.connectionsBegun = [];
    this.connectionsEnded = [];
    this.alerts = [];
    this.pauses = [];
    this.frames = emptyFrames();
    this.pendingRows = 0;
    return batch;
  }
}

function emptyFrames(): WriteBatch['frames'] {
  return { connectionIds: [], receivedAt: [], texts: [], data: [], flags: [] };
}

/** UTF-8 of every code unit, lone surrogates included (WTF-8): the exact content of any JS string, as bytes. */
function wtf8(text: string): Uint8Array {
  const out: number[] = [];
  for (let i = 0; i < text.length; i++) {
    let c = text.charCodeAt(i);
    if (c >= 0xd800 && c <= 0xdbff && i + 1 < text.length) {
      const d = text.charCodeAt(i + 1);
      if (d >= 0xdc00 && d <= 0xdfff) {
        c = 0x10000 + ((c - 0xd800) << 10) + (d - 0xdc00);
        i++;
      }
    }
    if (c < 0x80) out.push(c);
    else if (c < 0x800) out.push(0xc0 | (c >> 6), 0x80 | (c & 63));
    else if (c < 0x10000) out.push(0xe0 | (c >> 12), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
    else out.push(0xf0 | (c >> 18), 0x80 | ((c >> 12) & 63), 0x80 | ((c >> 6) & 63), 0x80 | (c & 63));
  }
  return Uint8Array.from(out);
}
