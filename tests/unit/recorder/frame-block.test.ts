/** The frame block codec on its own: every kind of frame comes back exactly, in order, with its id and time. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { decodeBlock, encodeBlock, type ArchivedFrame } from '../../../electron/node/recorder/frame-block.js';
import { FRAME_FLAGS } from '../../../electron/node/recorder/schema.js';

const frame = (id: number, receivedAt: number, over: Partial<ArchivedFrame>): ArchivedFrame => ({ id, sessionId: 3, receivedAt, text: '', data: null, flags: 0, ...over });

test('text of any script, empty text, bytes and empty bytes come back exactly, with flags and times', () => {
  const base = 1_795_000_000_000;
  const frames = [
    frame(2 ** 40, base + 5_000_000_000, { text: '{"data":[{"service":"LEVELONE_EQUITIES"}]}' }),
    frame(2 ** 40 + 1, base, { text: 'é 漢字 🚀 \u0000', flags: FRAME_FLAGS.notDecoded }),
    frame(2 ** 40 + 2, base + 1, { text: '' }),
    frame(2 ** 40 + 3, base + 2, { text: null, data: Uint8Array.from([0xff, 0xfe, 0, 1]), flags: FRAME_FLAGS.binary }),
    frame(2 ** 40 + 4, base + 3, { text: null, data: new Uint8Array(0), flags: FRAME_FLAGS.notUtf8 | FRAME_FLAGS.repairedText }),
  ];
  const block = encodeBlock(frames);
  // The clock stepped back after the first frame: the range is the earliest and latest, not first and last.
  assert.deepEqual([block.id, block.lastId, block.count, block.receivedFrom, block.receivedTo], [2 ** 40, 2 ** 40 + 4, 5, base, base + 5_000_000_000]);
  assert.deepEqual(decodeBlock(block), frames);
});

test('a block holds consecutive frames of one session only', () => {
  assert.throws(() => encodeBlock([frame(1, 1, { text: 'a' }), frame(3, 1, { text: 'b' })]), /consecutive frames of one session/);
  assert.throws(() => encodeBlock([frame(1, 1, { text: 'a' }), { ...frame(2, 1, { text: 'b' }), sessionId: 4 }]), /consecutive frames of one session/);
});

test('an unknown codec or a damaged payload is an error, never wrong frames', () => {
  const block = encodeBlock([frame(1, 1, { text: 'hello' })]);
  assert.throws(() => decodeBlock({ ...block, codec: 9 }), /codec 9/);
  assert.throws(() => decodeBlock({ ...block, count: 2 }), /truncated/);
});
