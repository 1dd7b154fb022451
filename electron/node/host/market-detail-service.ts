/**
 * The focused symbol's detail: on focus, the provider's price history for the chosen interval
 * (fetched, recorded, and merged with the live bars) and the tape; then only what is new
 * (`market:bars` at the interval, `market:trades`), coalesced to at most one push per ~50 ms, so a
 * busy symbol costs the window a few appended items instead of whole series over and over.
 * A history that cannot be fetched is said once in a message; the chart then shows live bars only.
 */
import { DEFAULT_INTERVAL, type ChartInterval } from '../../../shared/chart-interval.js';
import type { Candle } from '../../../shared/market.js';
import type { Handlers, SymbolDetail, Trade } from '../../../shared/api.js';
import type { QuoteRecord } from '../../../shared/engine-events.js';
import type { MarketUpdate } from '../../../shared/market.js';
import { bucketOf, combine, mergeBars } from './bar-buckets.js';
import type { EventBus } from './event-bus.js';
import { MarketDetail } from './market-detail.js';

const PUSH_INTERVAL_MS = 50;
/** As many bars as a chart keeps (renderer/src/store/detail.ts). */
const MAX_BARS = 1500;

/** Price history of a symbol at an interval (the provider's REST client, recorded by the caller); null: no provider to ask. */
export type HistorySource = (symbol: string, interval: ChartInterval) => Promise<Candle[] | null>;

export class MarketDetailService {
  private readonly series = new MarketDetail();
  private focused: string | null = null;
  private interval: ChartInterval = DEFAULT_INTERVAL;
  /** The focused symbol's history at the focused interval. */
  private history: Candle[] = [];
  /** Bumped by every focus, so a slow history fetch of an earlier focus is not applied. */
  private focusSeq = 0;
  /** A history fetch is under way: bars wait for it (their buckets need it), trades do not. */
  private fetching = false;
  /** Buckets whose bar changed since the last push. */
  private pendingBuckets = new Set<number>();
  private pendingTrades: Trade[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly focusListeners = new Set<() => void>();

  constructor(
    private readonly bus: EventBus,
    private readonly historySource: HistorySource | null = null,
  ) {}

  readonly handlers: Pick<Handlers, 'market:focus'> = {
    'market:focus': async ({ symbol, interval }) => this.focus(symbol, interval ?? DEFAULT_INTERVAL),
  };

  get focusedSymbol(): string | null {
    return this.focused;
  }

  onFocusChange(listener: () => void): void {
    this.focusListeners.add(listener);
  }

  /** Every update as the engine merged it (engine.onUpdate). */
  readonly observe = (update: MarketUpdate, merged: QuoteRecord): void => {
    const change = this.series.observe(update, merged);
    if (!change || change.symbol !== this.focused) return;
    if (change.bar) this.pendingBuckets.add(bucketOf(change.bar.time, this.interval, this.lastDaily()));
    else this.pendingTrades.push(change.trade);
    this.schedule();
  };

  /** A new engine starts with empty series. */
  reset(): void {
    this.series.clear();
    this.history = [];
    this.dropPending();
  }

  close(): void {
    this.dropPending();
  }

  private async focus(symbol: string | null, interval: ChartInterval): Promise<SymbolDetail | null> {
    const changed = symbol !== this.focused;
    const seq = ++this.focusSeq;
    this.focused = symbol;
    this.interval = interval;
    this.history = [];
    this.fetching = false;
    this.dropPending();
    if (changed) for (const l of this.focusListeners) l();
    if (!symbol) return null;
    let history: Candle[] = [];
    this.fetching = true;
    try {
      history = (await this.historySource?.(symbol, interval)) ?? [];
    } catch (err) {
      this.bus.message('warning', `Chart history of ${symbol} is unavailable (live bars only): ${(err as Error).message}`);
    }
    if (seq === this.focusSeq) {
      this.fetching = false;
      this.history = history;
      // Live bars that arrived during the fetch are in the answer below: nothing of them is pending.
      this.dropPending();
    }
    const detail = this.series.detail(symbol);
    return { ...detail, interval, bars: mergeBars(history, detail.bars, interval, MAX_BARS), historyBars: Math.min(history.length, MAX_BARS) };
  }

  private lastDaily(): number | null {
    return this.interval === '1d' && this.history.length > 0 ? this.history[this.history.length - 1]!.time : null;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.push(), PUSH_INTERVAL_MS);
    this.timer.unref();
  }

  /** The bar of a bucket now: its history candle (if any) with the live bars in it. */
  private bucketBar(symbol: string, bucket: number): Candle | undefined {
    const lastDaily = this.lastDaily();
    const live = this.series.detail(symbol).bars.filter((b) => bucketOf(b.time, this.interval, lastDaily) === bucket);
    return combine(this.history.find((c) => c.time === bucket), live, bucket);
  }

  private push(): void {
    this.timer = null;
    const symbol = this.focused;
    if (!symbol) return;
    if (this.pendingBuckets.size > 0 && !this.fetching) {
      const bars = [...this.pendingBuckets].sort((a, b) => a - b).map((k) => this.bucketBar(symbol, k)).filter((b): b is Candle => b !== undefined);
      this.bus.emit('market:bars', { symbol, interval: this.interval, bars });
    }
    if (this.pendingTrades.length > 0) this.bus.emit('market:trades', { symbol, trades: this.pendingTrades });
    if (!this.fetching) this.pendingBuckets = new Set();
    this.pendingTrades = [];
  }

  private dropPending(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pendingBuckets = new Set();
    this.pendingTrades = [];
  }
}
