import type { RecordedFrame } from '../../electron/node/recorder/batch-builder.js';
import { QuoteState } from '../../electron/node/state/quote-state.js';
import type { Dialect } from '../../shared/protocol/services.js';

/**
 * Frames as the engine hands them to the recorder: each update with the merged record its
 * QuoteState made of it. One call is one engine's state (one recording run).
 */
export function merging(dialect: Dialect): (frame: Omit<RecordedFrame, 'merged'>) => RecordedFrame {
  const state = new QuoteState(dialect);
  return (frame) => ({ ...frame, merged: frame.updates.map((u) => state.apply(u, frame.receivedAt)) });
}
