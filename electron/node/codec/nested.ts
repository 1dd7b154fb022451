/**
 * Nested payloads decoded into structures: order books (docs/protocol/tdameritrade.md §5.12, docs/protocol/schwab.md §5.6),
 * actives strings (docs/protocol/tdameritrade.md §5.11), screener items (docs/protocol/schwab.md §5.9) and chart-history
 * candles (docs/protocol/tdameritrade.md §5.8). Malformed parts are skipped, never thrown.
 */
import type { Actives, ActivesEntry, ActivesGroup, Book, BookEntry, BookLevel, Candle, ScreenerItem } from '../../../shared/market.js';

const num = (v: unknown): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v.trim() !== '' && Number.isFinite(Number(v)) ? Number(v) : null);
const isObj = (v: unknown): v is Record<string, unknown> => typeof v === 'object' && v !== null && !Array.isArray(v);
/** A primitive as text; never String() of an object, whose toString a server can replace with a non-function. */
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');

function bookLevels(raw: unknown): BookLevel[] {
  if (!Array.isArray(raw)) return [];
  const levels: BookLevel[] = [];
  for (const l of raw) {
    if (!isObj(l)) continue;
    const price = num(l['0']);
    if (price === null) continue;
    const entries: BookEntry[] = [];
    if (Array.isArray(l['3'])) {
      for (const e of l['3']) {
        if (!isObj(e)) continue;
        entries.push({ venue: str(e['0']), size: num(e['1']) ?? 0, time: num(e['2']) });
      }
    }
    levels.push({ price, size: num(l['1']) ?? 0, count: num(l['2']) ?? entries.length, entries });
  }
  return levels;
}

export function decodeBook(item: Record<string, unknown>): Book {
  return { bookTime: num(item['1']), bids: bookLevels(item['2']), asks: bookLevels(item['3']) };
}

/** "ID;duration;start;display;numGroups;groupId:n:total:SYM:vol:pct:...;..." */
export function parseActives(text: string, withDescription: boolean): Actives | null {
  const parts = text.split(';');
  if (parts.length < 5) return null;
  const [id, duration, startTime, displayTime, numGroups] = parts;
  const groups: ActivesGroup[] = [];
  const width = withDescription ? 4 : 3;
  for (const groupText of parts.slice(5)) {
    if (groupText.trim() === '') continue;
    const f = groupText.split(':');
    const groupId = Number(f[0]);
    const count = Number(f[1]);
    const total = Number(f[2]);
    if (!Number.isFinite(groupId) || !Number.isFinite(count) || !Number.isFinite(total)) continue;
    const entries: ActivesEntry[] = [];
    for (let i = 3; i + width - 1 < f.length && entries.length < count; i += width) {
      const symbol = f[i]!;
      const description = withDescription ? f[i + 1]! : null;
      const volume = Number(f[i + width - 2]);
      const percent = Number(f[i + width - 1]);
      if (symbol === '' || !Number.isFinite(volume)) continue;
      entries.push({ symbol, description, volume, percent: Number.isFinite(percent) ? percent : 0 });
    }
    groups.push({ groupId, total, entries });
  }
  return {
    id: id!.trim(),
    sampleDuration: Number(duration) || 0,
    startTime: startTime!.trim(),
    displayTime: displayTime!.trim(),
    groups: groups.slice(0, Number(numGroups) || groups.length),
  };
}

export function decodeScreener(raw: unknown): ScreenerItem[] {
  if (!Array.isArray(raw)) return [];
  return raw.filter(isObj).map((i) => ({
    symbol: str(i.symbol),
    description: typeof i.description === 'string' ? i.description : null,
    lastPrice: num(i.lastPrice),
    netChange: num(i.netChange),
    netPercentChange: num(i.netPercentChange),
    marketShare: num(i.marketShare),
    totalVolume: num(i.totalVolume),
    volume: num(i.volume),
    trades: num(i.trades),
  }));
}

export function decodeCandles(raw: unknown): Candle[] {
  if (!Array.isArray(raw)) return [];
  const out: Candle[] = [];
  for (const c of raw) {
    if (!isObj(c)) continue;
    const time = num(c['0']);
    const open = num(c['1']);
    const high = num(c['2']);
    const low = num(c['3']);
    const close = num(c['4']);
    if (time === null || open === null || high === null || low === null || close === null) continue;
    out.push({ time, open, high, low, close, volume: num(c['5']) ?? 0 });
  }
  return out;
}
