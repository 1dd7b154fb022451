/**
 * Watchlists as intents: each command changes one thing (add or remove symbols, create, rename,
 * delete, reorder), checks only what it changes, persists, and tells every window
 * (`watchlists:changed`), so two windows or browser tabs stay in step. Which tab is active is the
 * renderer's business.
 */
import type { Handlers, Watchlist } from '../../../shared/api.js';
import { normalizeLayout } from '../../../shared/columns.js';
import type { Dialect } from '../../../shared/protocol/services.js';
import { classifySymbol } from '../../../shared/symbols.js';
import { LIMITS } from '../../../shared/watchlist.js';
import type { DocumentStore } from './document-store.js';
import type { EventBus } from './event-bus.js';
import { watchlistsFrom } from './watchlists.js';

const DOCUMENT = 'watchlists';

type WatchlistHandlers = Pick<
  Handlers,
  | 'watchlist:create' | 'watchlist:rename' | 'watchlist:delete' | 'watchlist:reorder' | 'watchlist:add-symbols' | 'watchlist:remove-symbols'
  | 'watchlist:set-columns'
>;

export class WatchlistService {
  private lists: Watchlist[];
  private readonly changeListeners = new Set<() => void>();

  constructor(
    private readonly docs: DocumentStore,
    private readonly bus: EventBus,
    private readonly dialect: () => Dialect,
  ) {
    const stored = docs.read(DOCUMENT, (text) => bus.message('warning', text)) as { watchlists?: unknown } | undefined;
    this.lists = watchlistsFrom(stored?.watchlists, dialect());
  }

  readonly handlers: WatchlistHandlers = {
    'watchlist:create': async ({ name }) => {
      if (this.lists.length >= LIMITS.lists) throw new Error(`at most ${LIMITS.lists} watchlists`);
      if (this.lists.some((l) => l.name === name)) throw new Error(`there is already a watchlist called ${name}`);
      const list: Watchlist = { id: this.newId(name), name, symbols: [] };
      this.commit([...this.lists, list]);
      return list;
    },
    'watchlist:rename': async ({ id, name }) => {
      this.find(id);
      if (this.lists.some((l) => l.name === name && l.id !== id)) throw new Error(`there is already a watchlist called ${name}`);
      this.commit(this.lists.map((l) => (l.id === id ? { ...l, name } : l)));
      return this.find(id);
    },
    'watchlist:delete': async ({ id }) => {
      this.find(id);
      if (this.lists.length <= 1) throw new Error('the last watchlist cannot be deleted');
      this.commit(this.lists.filter((l) => l.id !== id));
      return this.all();
    },
    'watchlist:reorder': async ({ ids }) => {
      const byId = new Map(this.lists.map((l) => [l.id, l]));
      if (ids.length !== byId.size || new Set(ids).size !== ids.length || !ids.every((id) => byId.has(id))) {
        throw new Error('a new order must name every watchlist once');
      }
      this.commit(ids.map((id) => byId.get(id)!));
      return this.all();
    },
    'watchlist:add-symbols': async ({ id, symbols }) => {
      const list = this.find(id);
      const have = new Set(list.symbols);
      const added: string[] = [];
      const errors: string[] = [];
      for (const text of symbols) {
        const c = classifySymbol(text, this.dialect());
        if (!c.ok) errors.push(c.error);
        else if (!have.has(c.symbol)) {
          have.add(c.symbol);
          added.push(c.symbol);
        }
      }
      // Nothing is added when anything is wrong: the user fixes the input and nothing is half-done.
      if (errors.length > 0) throw new Error(errors.slice(0, 5).join('; ') + (errors.length > 5 ? ` (and ${errors.length - 5} more)` : ''));
      if (list.symbols.length + added.length > LIMITS.symbolsPerList) throw new Error(`a watchlist holds at most ${LIMITS.symbolsPerList} symbols`);
      if (added.length > 0) this.commit(this.lists.map((l) => (l.id === id ? { ...l, symbols: [...l.symbols, ...added] } : l)));
      return this.find(id);
    },
    'watchlist:remove-symbols': async ({ id, symbols }) => {
      const drop = new Set(symbols.map((s) => s.trim()));
      const list = this.find(id);
      if (list.symbols.some((s) => drop.has(s))) this.commit(this.lists.map((l) => (l.id === id ? { ...l, symbols: l.symbols.filter((s) => !drop.has(s)) } : l)));
      return this.find(id);
    },
    'watchlist:set-columns': async ({ id, columns }) => {
      this.find(id);
      const layout = columns === null ? undefined : normalizeLayout(columns);
      this.commit(
        this.lists.map((l) => {
          if (l.id !== id) return l;
          const { columns: _old, ...rest } = l;
          return layout ? { ...rest, columns: layout } : rest;
        }),
        { symbolsChanged: false },
      );
      return this.find(id);
    },
  };

  all(): Watchlist[] {
    return structuredClone(this.lists);
  }

  /** Every symbol of every list, once (what level one subscribes). */
  symbols(): string[] {
    return [...new Set(this.lists.flatMap((l) => l.symbols))];
  }

  onChange(listener: () => void): void {
    this.changeListeners.add(listener);
  }

  private find(id: string): Watchlist {
    const list = this.lists.find((l) => l.id === id);
    if (!list) throw new Error('that watchlist no longer exists');
    return structuredClone(list);
  }

  private newId(name: string): string {
    const base = name.toLowerCase().replace(/[^\w-]+/g, '-').replace(/^-|-$/g, '').slice(0, 40) || 'list';
    let id = base;
    for (let n = 2; this.lists.some((l) => l.id === id); n++) id = `${base}-${n}`;
    return id;
  }

  /** Saves and tells every window; subscriptions are reconsidered only when symbols may have changed. */
  private commit(next: Watchlist[], { symbolsChanged = true } = {}): void {
    this.lists = next;
    this.docs.write(DOCUMENT, { watchlists: next });
    this.bus.emit('watchlists:changed', this.all());
    if (symbolsChanged) for (const l of this.changeListeners) l();
  }
}
