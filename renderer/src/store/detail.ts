/**
 * The focused symbol's bars and tape: the snapshot `market:focus` answers, then the host's appends
 * (`market:bars`, `market:trades`). Appends that arrive before the snapshot are held and applied
 * after it, so nothing between the two is lost.
 */
import type { Events, SymbolDetail, Trade } from '../../../shared/api.js';
import type { ChartInterval } from '../../../shared/chart-interval.js';
import type { Candle } from '../../../shared/market.js';

/** As many trades as the host keeps (electron/node/host/market-detail.ts). */
const MAX_TRADES = 500;
const MAX_BARS = 1500;

export interface DetailState {
  symbol: string;
  interval: ChartInterval;
  /** How many of the first bars came from the provider's price history. */
  historyBars: number;
  bars: Candle[];
  trades: Trade[];
  /** Bumped on every change, so views re-render from the same arrays cheaply. */
  version: number;
  /** The bars that the last change added or replaced (the chart updates only these). */
  lastBars: Candle[];
}

type Pending = { bars: Candle[]; trades: Trade[] };

export function fromSnapshot(snapshot: SymbolDetail, held: Pending | null): DetailState {
  let state: DetailState = {
    symbol: snapshot.symbol, interval: snapshot.interval, historyBars: snapshot.historyBars, bars: snapshot.bars, trades: snapshot.trades, version: 0, lastBars: [],
  };
  if (held) {
    state = withBars(state, held.bars);
    state = withTrades(state, notIn(snapshot.trades, held.trades));
    state.lastBars = [];
  }
  return state;
}

const tradeKey = (t: Trade) => `${t.time}|${t.price}|${t.size}|${t.side}`;

/**
 * The held trades the snapshot does not already hold. The host pushes trades while it fetches the
 * price history for a focus, and builds the snapshot after: those trades are in both, and applied
 * again they would stand after newer ones (a tape no longer newest first).
 */
function notIn(snapshot: readonly Trade[], held: readonly Trade[]): Trade[] {
  const inSnapshot = new Map<string, number>();
  for (const t of snapshot) {
    const key = tradeKey(t);
    inSnapshot.set(key, (inSnapshot.get(key) ?? 0) + 1);
  }
  return held.filter((t) => {
    const key = tradeKey(t);
    const n = inSnapshot.get(key) ?? 0;
    if (n === 0) return true;
    inSnapshot.set(key, n - 1);
    return false;
  });
}

/** Bars upsert by time: the same time replaces the last bar, a later time appends. */
export function withBars(state: DetailState, bars: readonly Candle[]): DetailState {
  const next = state.bars.slice();
  const touched: Candle[] = [];
  for (const bar of bars) {
    const last = next[next.length - 1];
    if (last && bar.time === last.time) next[next.length - 1] = bar;
    else if (!last || bar.time > last.time) next.push(bar);
    else continue;
    touched.push(bar);
  }
  if (next.length > MAX_BARS) next.splice(0, next.length - MAX_BARS);
  return { ...state, bars: next, lastBars: touched, version: state.version + 1 };
}

export function withTrades(state: DetailState, trades: readonly Trade[]): DetailState {
  const next = state.trades.concat(trades);
  if (next.length > MAX_TRADES) next.splice(0, next.length - MAX_TRADES);
  return { ...state, trades: next, lastBars: [], version: state.version + 1 };
}

/** Holds appends for a symbol whose snapshot has not arrived yet. */
export function hold(held: Pending | null, event: Events['market:bars'] | Events['market:trades']): Pending {
  const p = held ?? { bars: [], trades: [] };
  return 'bars' in event ? { ...p, bars: p.bars.concat(event.bars) } : { ...p, trades: p.trades.concat(event.trades) };
}
