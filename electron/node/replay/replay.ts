/**
 * Replays the lossless frame archive (frame-reader.ts) through the codec, optionally paced like the original
 * recording (speed 1 = real time, 0 = as fast as possible). Each frame is decoded with the dialect
 * of the connection (sessions row) it was received on.
 */
import { openDatabase } from '../sqlite/open-database.js';
import type { DecodedFrame } from '../../../shared/market.js';
import type { Dialect } from '../../../shared/protocol/services.js';
import { decodeFrame } from '../codec/decode-frame.js';
import { readFrames } from '../recorder/frame-reader.js';
import { FRAME_FLAGS } from '../recorder/schema.js';

export interface ReplayedFrame {
  id: number;
  sessionId: number;
  dialect: Dialect;
  receivedAt: number;
  /** The text decoded: the frame's text, or (for text that was not valid UTF-8) its bytes with U+FFFD; '' for a binary frame. */
  text: string;
  /** The bytes of a frame archived as bytes (binary, or not valid UTF-8), else null. */
  bytes: Uint8Array | null;
  binary: boolean;
  decoded: DecodedFrame;
}

const NOTHING: DecodedFrame = { updates: [], responses: [], notices: [], heartbeat: null, problems: [] };

export interface ReplayOptions {
  dbPath: string;
  speed: number;
  from?: number;
  to?: number;
  /** May return a promise (e.g. to wait for a full output pipe to drain); replay waits for it. */
  onFrame: (frame: ReplayedFrame) => void | Promise<void>;
  signal?: AbortSignal;
}

function sessionDialects(dbPath: string): Map<number, Dialect> {
  const db = openDatabase(dbPath, { readonly: true, fileMustExist: true });
  try {
    const rows = db.prepare('SELECT id, dialect FROM sessions').all() as { id: number; dialect: string }[];
    return new Map(rows.map((r) => [r.id, r.dialect === 'tdameritrade' ? 'tdameritrade' : 'schwab']));
  } finally {
    db.close();
  }
}

const sleep = (ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms));

export async function replayFrames(opts: ReplayOptions): Promise<{ frames: number; updates: number }> {
  const dialects = sessionDialects(opts.dbPath);
  let frames = 0;
  let updates = 0;
  let firstReceivedAt: number | null = null;
  const startedAt = Date.now();
  for (const frame of readFrames(opts.dbPath, { from: opts.from, to: opts.to })) {
    if (opts.signal?.aborted) break;
    if (opts.speed > 0) {
      const first = (firstReceivedAt ??= frame.receivedAt);
      const due = startedAt + (frame.receivedAt - first) / opts.speed;
      const wait = due - Date.now();
      if (wait > 1) await sleep(wait);
    }
    // A frame recorded outside any connection (none in practice) counts as session 0.
    const sessionId = frame.sessionId ?? 0;
    const dialect = dialects.get(sessionId) ?? 'schwab';
    const binary = (frame.flags & FRAME_FLAGS.binary) !== 0;
    const bytes = frame.data;
    const text = frame.text ?? (binary || !bytes ? '' : Buffer.from(bytes.buffer, bytes.byteOffset, bytes.byteLength).toString('utf8'));
    const decoded = binary ? NOTHING : decodeFrame(text, dialect);
    frames++;
    updates += decoded.updates.length;
    await opts.onFrame({ id: frame.id, sessionId, receivedAt: frame.receivedAt, dialect, text, bytes, binary, decoded });
  }
  return { frames, updates };
}
