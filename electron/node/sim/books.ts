/**
 * Whole order books (docs/protocol/schwab.md §5.6, docs/protocol/tdameritrade.md §5.12): 5-10 price levels a side, best first,
 * starting at the instrument's current bid and ask so the book agrees with level one; each level's
 * size is the sum of its participants and its count their number. Participant times are ms since
 * midnight ET on Schwab and Central on TD, as observed. The emitter sends a book whenever its key's
 * level-one bid or ask moves, in the same frame, so Level II's best level always equals level one's.
 */
import type { Dialect } from '../../../shared/protocol/services.js';
import { msSinceMidnightCentral, msSinceMidnightEastern } from './clock.js';
import type { Instrument } from './instrument.js';
import type { Item } from './level-one.js';
import { intBetween, type Rand } from './prng.js';
import { BOOK_VENUES, OPTION_BOOK_VENUES } from './reference-data.js';

interface Participant {
  '0': string;
  '1': number;
  '2': number;
}

interface Level {
  '0': number;
  '1': number;
  '2': number;
  '3': Participant[];
}

function side(inst: Instrument, r: Rand, best: number, bestSize: number, dir: 1 | -1, now: number, dialect: Dialect): Level[] {
  const option = inst.ref.kind === 'option';
  const venues = option ? OPTION_BOOK_VENUES : BOOK_VENUES;
  const clock = dialect === 'schwab' ? msSinceMidnightEastern(now) : msSinceMidnightCentral(now);
  const f = 10 ** inst.ref.digits;
  const levels: Level[] = [];
  let price = best;
  const n = intBetween(r, 5, 10);
  for (let l = 0; l < n; l++) {
    if (l > 0) price = Math.round((price + dir * inst.ref.tick * intBetween(r, 1, 3)) * f) / f;
    if (price <= 0) break;
    const count = intBetween(r, 1, 4);
    const participants: Participant[] = [];
    let total = 0;
    let v = intBetween(r, 0, venues.length - 1);
    for (let p = 0; p < count; p++) {
      // The best level starts with the size level one shows.
      const size = l === 0 && p === 0 && bestSize > 0 ? bestSize : option ? intBetween(r, 1, 60) : 100 * intBetween(r, 1, 12);
      participants.push({ '0': venues[v++ % venues.length]!, '1': size, '2': clock - intBetween(r, 0, 3000) });
      total += size;
    }
    levels.push({ '0': price, '1': total, '2': count, '3': participants });
  }
  return levels;
}

/**
 * The whole book of a key. Both sides and the book time go out whatever field list was subscribed:
 * the real server sent them all, and clients that asked for fewer fields relied on it.
 */
export function bookItem(inst: Instrument, key: string, r: Rand, now: number, dialect: Dialect): Item {
  return { key, '1': now, '2': side(inst, r, inst.bid, inst.bidSize, -1, now, dialect), '3': side(inst, r, inst.ask, inst.askSize, 1, now, dialect) };
}
