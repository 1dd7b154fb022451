/**
 * The benchmark corpus: level-one traffic like the simulator's at market open, generated from a
 * seed so every run measures the same bytes. 2,000 symbols; each symbol's first item is a full
 * snapshot, later items carry 1–8 changed fields; several items per data entry.
 */
import { mulberry32 as prng } from '../electron/node/sim/prng.js';
import { syntheticSymbol } from '../electron/node/sim/symbol-names.js';
import type { Dialect } from '../shared/protocol/services.js';

export interface Corpus {
  dialect: Dialect;
  service: string;
  frames: string[];
  bytes: number;
  updates: number;
}

/** The corpus's symbols, distinct from the simulator's universe. */
export const symbolName = (i: number) => syntheticSymbol(i, 'S');

/** Field numbers of each dialect's level-one equity service that change tick to tick. */
const LAYOUT = {
  schwab: { service: 'LEVELONE_EQUITIES', bid: 1, ask: 2, last: 3, bidSize: 4, askSize: 5, volume: 8, lastSize: 9, high: 10, low: 11, mark: 33, quoteTime: 34, tradeTime: 35, close: 12, desc: 15, open: 17, net: 18 },
  tdameritrade: { service: 'QUOTE', bid: 1, ask: 2, last: 3, bidSize: 4, askSize: 5, volume: 8, lastSize: 9, high: 12, low: 13, mark: 49, quoteTime: 50, tradeTime: 51, close: 15, desc: 25, open: 28, net: 29 },
} as const;

export function buildCorpus(opts: { dialect: Dialect; symbols: number; updates: number; seed: number; itemsPerEntry?: [number, number] }): Corpus {
  const rand = prng(opts.seed);
  const L = LAYOUT[opts.dialect];
  const [minItems, maxItems] = opts.itemsPerEntry ?? [4, 16];
  const price = new Float64Array(opts.symbols).map(() => 20 + rand() * 480);
  const volume = new Float64Array(opts.symbols);
  const seen = new Uint8Array(opts.symbols);
  const changeable = [L.bid, L.ask, L.last, L.bidSize, L.askSize, L.volume, L.lastSize, L.mark, L.quoteTime, L.tradeTime, L.high, L.low];
  const frames: string[] = [];
  let bytes = 0;
  let made = 0;
  let t = Date.UTC(2026, 10, 24, 14, 30);
  while (made < opts.updates) {
    const n = Math.min(opts.updates - made, minItems + Math.floor(rand() * (maxItems - minItems + 1)));
    const items: string[] = [];
    t += 1;
    for (let j = 0; j < n; j++) {
      const i = Math.floor(rand() * opts.symbols);
      const key = symbolName(i);
      price[i] = Math.max(1, price[i]! * (1 + (rand() - 0.5) * 0.002));
      const p = Math.round(price[i]! * 100) / 100;
      volume[i] = volume[i]! + 100 * (1 + Math.floor(rand() * 10));
      const value = (f: number): number => {
        switch (f) {
          case L.bid: return Math.round((p - 0.01) * 100) / 100;
          case L.ask: return Math.round((p + 0.01) * 100) / 100;
          case L.bidSize: case L.askSize: case L.lastSize: return 100 * (1 + Math.floor(rand() * 20));
          case L.volume: return volume[i]!;
          case L.quoteTime: case L.tradeTime: return t;
          default: return p;
        }
      };
      let body: string;
      if (!seen[i]) {
        seen[i] = 1;
        const fields = changeable.map((f) => `"${f}":${value(f)}`);
        fields.push(`"${L.close}":${p}`, `"${L.open}":${p}`, `"${L.net}":0`, `"${L.desc}":"${key} Corp"`);
        body = `{"key":"${key}","delayed":false,"assetMainType":"EQUITY","cusip":"000000000",${fields.join(',')}}`;
      } else {
        const k = 1 + Math.floor(rand() * 8);
        const picked = new Set<number>();
        while (picked.size < k) picked.add(changeable[Math.floor(rand() * changeable.length)]!);
        body = `{"key":"${key}",${[...picked].map((f) => `"${f}":${value(f)}`).join(',')}}`;
      }
      items.push(body);
    }
    const frame = `{"data":[{"service":"${L.service}","timestamp":${t},"command":"SUBS","content":[${items.join(',')}]}]}`;
    frames.push(frame);
    bytes += Buffer.byteLength(frame);
    made += n;
  }
  return { dialect: opts.dialect, service: L.service, frames, bytes, updates: made };
}
