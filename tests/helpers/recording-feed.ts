/** Keeps a recorder busy the way a live feed does: a few frames every millisecond, one level-one update each. */
import type { ConnectionInfo, DecodedResult, ReceivedFrame } from '../../electron/node/recorder/recorder.js';
import { merging } from './merging.js';

export interface Feed {
  /** Frames handed to the recorder so far. */
  sent: () => number;
  stop: () => void;
}

/** A Recorder, or a ManagedRecorder as the engine sees it: frame by frame, each archived then decoded. */
interface FeedTarget {
  beginConnection(info: ConnectionInfo): void;
  archive(frame: ReceivedFrame): void;
  decoded(result: DecodedResult): void;
}

export function feedRecorder(r: FeedTarget, framesPerTick = 5): Feed {
  const connectionId = 1;
  r.beginConnection({ connectionId, provider: 'demo', dialect: 'schwab', url: 'ws://feed' });
  const m = merging('schwab');
  let i = 0;
  const timer = setInterval(() => {
    for (let k = 0; k < framesPerTick; k++, i++) {
      const frame = m({ connectionId, receivedAt: Date.now(), text: `{"i":${i}}`, updates: [{ service: 'LEVELONE_EQUITIES', key: i % 2 ? 'AAPL' : 'MSFT', ts: i, fields: { last_price: i }, meta: {} }] });
      r.archive(frame);
      r.decoded(frame);
    }
  }, 1);
  return { sent: () => i, stop: () => clearInterval(timer) };
}
