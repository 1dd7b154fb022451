/**
 * The focused symbol's detail: a snapshot of its bars and tape when it is focused, then only what
 * is new (`market:bars`, `market:trades`), coalesced to at most one push per ~50 ms, so a busy
 * symbol costs the window a few appended items instead of whole series over and over.
 */
import type { Candle } from '../../../shared/market.js';
import type { Handlers, SymbolDetail, Trade } from '../../../shared/api.js';
import type { QuoteRecord } from '../../../shared/engine-events.js';
import type { MarketUpdate } from '../../../shared/market.js';
import type { EventBus } from './event-bus.js';
import { MarketDetail } from './market-detail.js';

const PUSH_INTERVAL_MS = 50;

export class MarketDetailService {
  private readonly series = new MarketDetail();
  private focused: string | null = null;
  private pendingBars = new Map<number, Candle>();
  private pendingTrades: Trade[] = [];
  private timer: NodeJS.Timeout | null = null;
  private readonly focusListeners = new Set<() => void>();

  constructor(private readonly bus: EventBus) {}

  readonly handlers: Pick<Handlers, 'market:focus'> = {
    'market:focus': async ({ symbol }) => this.focus(symbol),
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
    if (change.bar) this.pendingBars.set(change.bar.time, change.bar);
    else this.pendingTrades.push(change.trade);
    this.schedule();
  };

  /** A new engine starts with empty series. */
  reset(): void {
    this.series.clear();
    this.dropPending();
  }

  close(): void {
    this.dropPending();
  }

  private focus(symbol: string | null): SymbolDetail | null {
    const changed = symbol !== this.focused;
    this.focused = symbol;
    this.dropPending();
    if (changed) for (const l of this.focusListeners) l();
    return symbol ? this.series.detail(symbol) : null;
  }

  private schedule(): void {
    if (this.timer) return;
    this.timer = setTimeout(() => this.push(), PUSH_INTERVAL_MS);
    this.timer.unref();
  }

  private push(): void {
    this.timer = null;
    const symbol = this.focused;
    if (!symbol) return;
    if (this.pendingBars.size > 0) this.bus.emit('market:bars', { symbol, bars: [...this.pendingBars.values()].sort((a, b) => a.time - b.time) });
    if (this.pendingTrades.length > 0) this.bus.emit('market:trades', { symbol, trades: this.pendingTrades });
    this.pendingBars = new Map();
    this.pendingTrades = [];
  }

  private dropPending(): void {
    if (this.timer) clearTimeout(this.timer);
    this.timer = null;
    this.pendingBars = new Map();
    this.pendingTrades = [];
  }
}
