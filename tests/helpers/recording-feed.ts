/** Keeps a Recorder busy the way a live feed does: a few frames every millisecond, one level-one update each. */
import type { Recorder } from '../../electron/node/recorder/recorder.js';
import { merging } from './merging.js';

export interface Feed {
  /** Frames handed to the recorder so far. */
  sent: () => number;
  stop: () => void;
}

export function feedRecorder(r: Recorder, framesPerTick = 5): Feed {
  const connectionId = 1;
  r.beginConnection({ connectionId, provider: 'demo', dialect: 'schwab', url: 'ws://feed' });
  const m = merging('schwab');
  let i = 0;
  const timer = setInterval(() => {
    for (let k = 0; k < framesPerTick; k++, i++) {
      r.record(m({ connectionId, receivedAt: Date.now(), text: `{"i":${i}}`, updates: [{ service: 'LEVELONE_EQUITIES', key: i % 2 ? 'AAPL' : 'MSFT', ts: i, fields: { last_price: i }, meta: {} }] }));
    }
  }, 1);
  return { sent: () => i, stop: () => clearInterval(timer) };
}
