/**
 * One `frame_blocks` row: consecutive frames of one session, compressed together. Frames of one
 * feed repeat the same JSON shape, so a block of ~256 KB compresses ~10× where a frame alone hardly
 * shrinks. The payload is the compression (brotli; deflate-raw in blocks written by schema 3) of
 * an index followed by the frames' bytes: per frame three varints — `flags × 2 + stored-as-bytes`,
 * `received_at − received_from`, byte length — then every frame's bytes (UTF-8 of its text, or the
 * bytes archived in `data`). Text is valid UTF-8 (the builder guarantees it), so decoding it gives
 * back the very string received.
 */
import { brotliCompressSync, brotliDecompressSync, constants, inflateRawSync } from 'node:zlib';

/** A frame as the archive holds it (frames table row, or one frame of a block). */
export interface ArchivedFrame {
  id: number;
  sessionId: number | null;
  receivedAt: number;
  /** The frame's text; null when it was archived as bytes (a binary frame, or text that is not valid UTF-8). */
  text: string | null;
  /** The bytes of a frame archived as bytes, else null. */
  data: Uint8Array | null;
  /** FRAME_FLAGS (recorder/schema.ts). */
  flags: number;
}

/** `frame_blocks.codec`: the payload is deflate-raw (blocks written by schema 3; still read). */
export const CODEC_DEFLATE_RAW = 1;
/** `frame_blocks.codec`: the payload is brotli (schema 4 on). */
export const CODEC_BROTLI = 2;

/**
 * Brotli's quality for blocks: on the demo feed, 5 at 256 KB stores ~15.5 bytes per update where
 * deflate at its default level and 64 KB stored ~18.3, at about deflate's speed (quality 9 gains
 * another ~6 % at a fifth of the speed: the writer thread compresses, so not worth it).
 */
const BROTLI_QUALITY = 5;

export interface FrameBlockRow {
  /** The first frame's id; the others follow one by one up to lastId. */
  id: number;
  lastId: number;
  sessionId: number | null;
  count: number;
  /** Earliest and latest received_at in the block (clocks can step back, so not the first and last). */
  receivedFrom: number;
  receivedTo: number;
  codec: number;
  payload: Uint8Array;
}

/**
 * Raw bytes per block: larger blocks compress better (64 KB → 256 KB: ~7 % fewer bytes, and less of
 * a page left empty at each block's end); past that the gain is small and a reader decompresses
 * more than it needs, the writer longer at a time.
 */
export const BLOCK_BYTES = 256 * 1024;

/** Bytes a frame adds to a block before compression. */
export function frameBytes(f: Pick<ArchivedFrame, 'text' | 'data'>): number {
  return f.text !== null ? Buffer.byteLength(f.text, 'utf8') : (f.data?.byteLength ?? 0);
}

/** Compresses consecutive frames of one session (ids id, id + 1, …) into one block row. */
export function encodeBlock(frames: readonly ArchivedFrame[]): FrameBlockRow {
  const first = frames[0];
  if (!first) throw new Error('a frame block needs at least one frame');
  let receivedFrom = first.receivedAt;
  let receivedTo = first.receivedAt;
  for (const f of frames) {
    if (f.receivedAt < receivedFrom) receivedFrom = f.receivedAt;
    if (f.receivedAt > receivedTo) receivedTo = f.receivedAt;
  }
  const index: number[] = [];
  const bodies: Buffer[] = [];
  frames.forEach((f, i) => {
    if (f.id !== first.id + i || f.sessionId !== first.sessionId) throw new Error('a frame block holds consecutive frames of one session');
    const body = f.text !== null ? Buffer.from(f.text, 'utf8') : Buffer.from(f.data ?? new Uint8Array(0));
    varint(index, f.flags * 2 + (f.text === null ? 1 : 0));
    varint(index, f.receivedAt - receivedFrom);
    varint(index, body.byteLength);
    bodies.push(body);
  });
  const raw = Buffer.concat([Buffer.from(index), ...bodies]);
  const payload = brotliCompressSync(raw, { params: { [constants.BROTLI_PARAM_QUALITY]: BROTLI_QUALITY, [constants.BROTLI_PARAM_SIZE_HINT]: raw.byteLength } });
  return { id: first.id, lastId: first.id + frames.length - 1, sessionId: first.sessionId, count: frames.length, receivedFrom, receivedTo, codec: CODEC_BROTLI, payload };
}

/** The frames of a block, in id order, exactly as they were archived. */
export function decodeBlock(row: FrameBlockRow): ArchivedFrame[] {
  const buf = decompress(row);
  const cursor = { at: 0 };
  const heads: { kind: number; at: number; length: number }[] = [];
  for (let i = 0; i < row.count; i++) heads.push({ kind: readVarint(buf, cursor), at: readVarint(buf, cursor), length: readVarint(buf, cursor) });
  let offset = cursor.at;
  return heads.map((h, i) => {
    const end = offset + h.length;
    if (end > buf.byteLength) throw new Error(`frame block ${row.id} is truncated`);
    const asBytes = (h.kind & 1) === 1;
    const frame: ArchivedFrame = {
      id: row.id + i,
      sessionId: row.sessionId,
      receivedAt: row.receivedFrom + h.at,
      text: asBytes ? null : buf.toString('utf8', offset, end),
      data: asBytes ? new Uint8Array(buf.subarray(offset, end)) : null,
      flags: Math.floor(h.kind / 2),
    };
    offset = end;
    return frame;
  });
}

function decompress(row: FrameBlockRow): Buffer {
  if (row.codec === CODEC_BROTLI) return brotliDecompressSync(row.payload);
  if (row.codec === CODEC_DEFLATE_RAW) return inflateRawSync(row.payload);
  throw new Error(`frame block ${row.id} uses codec ${row.codec}, which this Tapedeck does not know`);
}

/** Unsigned LEB128 of a non-negative safe integer (division, not bit shifts: values pass 2^31). */
function varint(out: number[], n: number): void {
  let v = n;
  while (v >= 0x80) {
    out.push((v % 0x80) | 0x80);
    v = Math.floor(v / 0x80);
  }
  out.push(v);
}

function readVarint(buf: Buffer, cursor: { at: number }): number {
  let n = 0;
  let scale = 1;
  for (;;) {
    if (cursor.at >= buf.byteLength) throw new Error('frame block index is truncated');
    const b = buf[cursor.at++]!;
    n += (b & 0x7f) * scale;
    if (b < 0x80) return n;
    scale *= 0x80;
  }
}
