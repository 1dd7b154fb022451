/**
 * The market data of one connection. A timer calls tick(); each tick spends `rate × elapsed` content
 * items round-robin over the subscribed (service, key) streams, so `rate` is the total update rate of
 * the connection. Each pick is one market event on the key's instrument followed by its delta; on TD a
 * key is sent at most once per QOS interval and carries the conflated changes of a few events
 * (docs/protocol/tdameritrade.md §3.4, §4.6). Whole services (books, actives, screeners) are rebuilt when picked; bars
 * are sent when a bar window closes; every trade of a TIMESALE_* key becomes one item. New keys get
 * their first (full) item on the next tick, before any budgeted work.
 */
import type { Dialect, ServiceSpec } from '../../../shared/protocol/services.js';
import { bookItem } from './books.js';
import { compileFields, fieldContext, type CompiledField } from './field-values.js';
import type { Instrument } from './instrument.js';
import { changeItem, notFoundItem, type ChangeStream, type Item } from './level-one.js';
import type { Market } from './market.js';
import { activesString, screenerItem } from './movers.js';
import { intBetween, randFor, type Rand } from './prng.js';
import { acctActivityItem, barItem, newsItem, syntheticBar, timesaleItem } from './sequence-items.js';
import type { CommandOutcome, ServiceSubscription } from './subscriptions.js';

type Role = 'change' | 'book' | 'actives' | 'screener' | 'chart' | 'timesale' | 'news' | 'account' | 'inert';

interface Stream {
  role: Role;
  sub: ServiceSubscription;
  key: string;
  inst: Instrument | undefined;
  first: boolean;
  lastAt: number;
  seq: number;
  rand: Rand;
  change: ChangeStream | null;
  /** News only: the wait before the next headline. */
  wait: number;
  /** Books only: the bid and ask the last book was built on. */
  top: string;
}

export interface EmitterOptions {
  dialect: Dialect;
  market: Market;
  rate: number;
  account: { accountId: string; subscriptionKey: string };
  /** Sends one data frame; `items` is the number of content items in it. */
  send: (frame: { data: unknown[] }, items: number) => void;
}

/** Most first items sent per tick: a 3,000-key SUBS streams its snapshot over a few ticks. */
const FIRST_ITEMS_PER_TICK = 500;

function roleOf(spec: ServiceSpec): Role {
  if (spec.delivery === 'change') return 'change';
  if (spec.structure === 'book') return 'book';
  if (spec.structure === 'actives') return 'actives';
  if (spec.structure === 'screener') return 'screener';
  if (spec.name.startsWith('CHART_')) return 'chart';
  // TIMESALE_OPTIONS subscribes but never delivers (docs/protocol/tdameritrade.md §5.9).
  if (spec.name.startsWith('TIMESALE_')) return spec.name === 'TIMESALE_OPTIONS' ? 'inert' : 'timesale';
  if (spec.name === 'NEWS_HEADLINE') return 'news';
  if (spec.name === 'ACCT_ACTIVITY') return 'account';
  return 'inert';
}

const INSTRUMENT_ROLES: ReadonlySet<Role> = new Set(['change', 'book', 'chart', 'timesale']);
const PICKED_ROLES: ReadonlySet<Role> = new Set(['change', 'book', 'actives', 'screener', 'chart', 'timesale', 'news']);

export class DataEmitter {
  private readonly streams = new Map<string, Map<string, Stream>>();
  private readonly compiled = new Map<string, CompiledField[]>();
  private pending: Stream[] = [];
  private order: Stream[] = [];
  private timesales = new Map<Instrument, Stream[]>();
  /** Level-one and book streams per instrument, so a book follows every move of its level-one top. */
  private levelOnes = new Map<Instrument, Stream[]>();
  private books = new Map<Instrument, Stream[]>();
  private dirty = false;
  private cursor = 0;
  private budget = 0;
  private lastTick = 0;
  private lastBarWindow = -1;
  private qosMs: number;
  private activesId: number;
  private out = new Map<string, Item[]>();
  private outCount = 0;

  constructor(private readonly opts: EmitterOptions) {
    // TD's default QOS is level 2, 1,000 ms (docs/protocol/tdameritrade.md §3.4); Schwab has no QOS.
    this.qosMs = opts.dialect === 'tdameritrade' ? 1000 : 0;
    this.activesId = intBetween(randFor(opts.market.seed, 'actives-id'), 10_000, 60_000);
  }

  setQos(ms: number): void {
    this.qosMs = ms;
  }

  /** Brings the streams of one service in line with its subscription after a command. */
  applied(sub: ServiceSubscription, outcome: CommandOutcome, now: number): void {
    const service = sub.spec.name;
    let byKey = this.streams.get(service);
    if (!byKey) {
      byKey = new Map();
      this.streams.set(service, byKey);
    }
    for (const k of outcome.removed) byKey.delete(k);
    const role = roleOf(sub.spec);
    if (role === 'change') {
      const fields = compileFields(sub.spec, sub.fields);
      this.compiled.set(service, fields);
      for (const s of byKey.values()) {
        if (!s.change) continue;
        s.change.fields = fields;
        for (let id = 0; id < s.change.sent.length; id++) if (!sub.fields.has(id)) s.change.sent[id] = undefined;
      }
    }
    const dialect = this.opts.dialect;
    for (const key of outcome.fresh) {
      const inst = INSTRUMENT_ROLES.has(role) ? this.opts.market.instrument(key, dialect, now) : undefined;
      const usable = inst !== undefined && kindMatches(sub.spec, inst);
      const s: Stream = {
        role, sub, key, inst: usable ? inst : undefined, first: true, lastAt: now, seq: 0, wait: 0, top: '',
        rand: randFor(this.opts.market.seed, `${dialect}:${service}:${key}`),
        change: role === 'change' ? this.changeStream(sub.spec, key, usable ? inst : undefined) : null,
      };
      byKey.set(key, s);
      this.pending.push(s);
    }
    this.dirty = true;
  }

  private changeStream(spec: ServiceSpec, key: string, inst: Instrument | undefined): ChangeStream {
    const market = this.opts.market;
    const ctx = { ...fieldContext(spec), halted: inst !== undefined && market.isHalted(inst) };
    return { spec, key, fields: this.compiled.get(spec.name) ?? [], ctx, sent: [], delayed: market.isDelayed(key) };
  }

  private rebuild(): void {
    this.dirty = false;
    const order: Stream[] = [];
    const timesales = new Map<Instrument, Stream[]>();
    const levelOnes = new Map<Instrument, Stream[]>();
    const books = new Map<Instrument, Stream[]>();
    const add = (m: Map<Instrument, Stream[]>, s: Stream) => m.set(s.inst!, [...(m.get(s.inst!) ?? []), s]);
    for (const byKey of this.streams.values()) {
      for (const s of byKey.values()) {
        const needsInstrument = INSTRUMENT_ROLES.has(s.role);
        if (!PICKED_ROLES.has(s.role) || (needsInstrument && !s.inst)) continue;
        order.push(s);
        if (s.role === 'timesale') add(timesales, s);
        else if (s.role === 'change') add(levelOnes, s);
        else if (s.role === 'book') add(books, s);
      }
    }
    this.order = order;
    this.timesales = timesales;
    this.levelOnes = levelOnes;
    this.books = books;
    this.pending = this.pending.filter((s) => this.streams.get(s.sub.spec.name)?.get(s.key) === s);
  }

  private push(service: string, item: Item): void {
    const list = this.out.get(service);
    if (list) list.push(item);
    else this.out.set(service, [item]);
    this.outCount++;
  }

  /** One market event on an instrument; a trade also becomes a time-and-sales item. */
  private step(inst: Instrument, now: number): void {
    // A halted instrument neither trades nor requotes (`sim --halted`).
    if (this.opts.market.isHalted(inst) || !inst.step(now)) return;
    const ts = this.timesales.get(inst);
    if (ts) for (const s of ts) this.push(s.sub.spec.name, timesaleItem(s.sub.spec, s.key, s.seq++, inst, s.sub.fields));
  }

  private interval(s: Stream): number {
    const qos = this.qosMs;
    switch (s.role) {
      case 'change':
      case 'timesale': return qos;
      case 'book': return Math.max(500, qos);
      case 'actives':
      case 'screener': return Math.max(1000, qos);
      case 'chart': return Math.min(250, this.opts.market.barMs / 8);
      case 'news': return s.wait;
      default: return Number.POSITIVE_INFINITY;
    }
  }

  private first(s: Stream, now: number): void {
    s.first = false;
    s.lastAt = now;
    const spec = s.sub.spec;
    const service = spec.name;
    switch (s.role) {
      case 'change':
        this.push(service, s.inst ? changeItem(s.change!, s.inst, true)! : notFoundItem(spec, s.key, s.sub.fields));
        return;
      case 'chart':
        if (s.inst) {
          const barMs = this.opts.market.barMs;
          this.push(service, barItem(spec, s.key, s.seq++, syntheticBar(s.inst, s.rand, (Math.floor(now / barMs) - 1) * barMs), s.sub.fields));
        }
        return;
      case 'account':
        this.accountFirst(s);
        return;
      case 'news':
        s.wait = intBetween(s.rand, 3_000, 20_000);
        return;
      case 'book':
        if (s.inst) this.pushBook(s, now);
        return;
      case 'actives':
      case 'screener':
        this.act(s, now);
        return;
      default:
    }
  }

  /** TD answers with SUBSCRIBED (or ERROR INVALID_KEY); Schwab stays quiet (docs/protocol/tdameritrade.md §5.13, docs/protocol/schwab.md §5.10). */
  private accountFirst(s: Stream): void {
    if (this.opts.dialect !== 'tdameritrade') return;
    const first = [...s.sub.keys][0];
    if (s.key !== first) return;
    const ok = s.key === this.opts.account.subscriptionKey;
    this.push('ACCT_ACTIVITY', acctActivityItem(s.sub.spec, s.key, s.seq++, this.opts.account.accountId, ok ? 'SUBSCRIBED' : 'ERROR', ok ? '' : 'INVALID_KEY', s.sub.fields));
  }

  /**
   * One budgeted action on a stream; returns what it used of the budget: the items it produced, and at
   * least 1 for anything but a level-one pick that found nothing changed (which costs nothing).
   */
  private act(s: Stream, now: number): number {
    const before = this.outCount;
    const spec = s.sub.spec;
    const peek = (symbol: string) => this.opts.market.peek(symbol, this.opts.dialect);
    switch (s.role) {
      case 'change': {
        const events = this.opts.dialect === 'tdameritrade' ? intBetween(s.rand, 1, 4) : 1;
        for (let e = 0; e < events; e++) this.step(s.inst!, now);
        const item = changeItem(s.change!, s.inst!, false);
        if (item) {
          this.push(spec.name, item);
          this.followBooks(s.inst!, now);
        }
        break;
      }
      case 'book': {
        // One market event, then level one and the book together: the book's best level is level one's.
        const inst = s.inst!;
        this.step(inst, now);
        for (const l1 of this.levelOnes.get(inst) ?? []) {
          if (l1.first) continue;
          const item = changeItem(l1.change!, inst, false);
          if (item) this.push(l1.sub.spec.name, item);
          l1.lastAt = now;
        }
        this.pushBook(s, now);
        break;
      }
      case 'actives': {
        const text = activesString(spec.name, s.key, this.activesId++, now, this.opts.market.universe, peek);
        if (text !== null) this.push(spec.name, s.sub.fields.has(1) ? { key: s.key, '1': text } : { key: s.key });
        break;
      }
      case 'screener': {
        const item = screenerItem(spec.name, s.key, now, this.opts.market.universe, peek, this.opts.dialect, s.sub.fields);
        if (item) this.push(spec.name, item);
        break;
      }
      case 'chart':
      case 'timesale':
        this.step(s.inst!, now);
        break;
      case 'news':
        this.push(spec.name, newsItem(spec, s.key, s.seq++, s.rand, now, s.sub.fields));
        s.wait = intBetween(s.rand, 8_000, 40_000);
        break;
      default:
    }
    s.lastAt = now;
    const produced = this.outCount - before;
    return s.role === 'change' ? produced : Math.max(1, produced);
  }

  private pushBook(s: Stream, now: number): void {
    const inst = s.inst!;
    s.top = `${inst.bid}/${inst.ask}`;
    s.lastAt = now;
    this.push(s.sub.spec.name, bookItem(inst, s.key, s.rand, now, this.opts.dialect));
  }

  /** After a level-one item: the books of the same instrument whose best bid or ask it moved. */
  private followBooks(inst: Instrument, now: number): void {
    const books = this.books.get(inst);
    if (!books) return;
    const top = `${inst.bid}/${inst.ask}`;
    for (const b of books) if (!b.first && b.top !== top) this.pushBook(b, now);
  }

  private bars(now: number): void {
    const barMs = this.opts.market.barMs;
    const window = Math.floor(now / barMs);
    if (window <= this.lastBarWindow) return;
    const closed = this.lastBarWindow >= 0;
    this.lastBarWindow = window;
    if (!closed) return;
    const start = (window - 1) * barMs;
    for (const s of this.order) {
      if (s.role !== 'chart' || s.first) continue;
      const bar = s.inst!.barAt(start);
      if (bar) this.push(s.sub.spec.name, barItem(s.sub.spec, s.key, s.seq++, bar, s.sub.fields));
    }
  }

  /** Produces this tick's data; `paused` skips the budgeted work (a slow reader) but keeps time. */
  tick(now: number, paused = false): void {
    if (this.dirty) this.rebuild();
    const rate = this.opts.rate;
    const elapsed = this.lastTick === 0 ? 0 : now - this.lastTick;
    this.lastTick = now;
    this.budget = Math.min(this.budget + (rate * elapsed) / 1000, Math.max(1, rate));
    for (let n = 0; this.pending.length > 0 && n < FIRST_ITEMS_PER_TICK; n++) this.first(this.pending.shift()!, now);
    this.bars(now);
    const order = this.order;
    if (!paused && order.length > 0) {
      const want = Math.floor(this.budget);
      const maxTries = order.length * 2 + want;
      let used = 0;
      for (let tries = 0; used < want && tries < maxTries; tries++) {
        const s = order[this.cursor++ % order.length]!;
        if (s.first || now - s.lastAt < this.interval(s)) continue;
        used += this.act(s, now);
      }
      this.budget = Math.max(0, this.budget - used);
    }
    this.flush(now);
  }

  private flush(now: number): void {
    if (this.outCount === 0) return;
    const data: unknown[] = [];
    for (const [service, content] of this.out) data.push({ service, timestamp: now, command: 'SUBS', content });
    const items = this.outCount;
    this.out = new Map();
    this.outCount = 0;
    this.opts.send({ data }, items);
  }
}

/** A key of the wrong asset kind for the service (QUOTE /ES) is as unknown as a malformed one. */
function kindMatches(spec: ServiceSpec, inst: Instrument): boolean {
  const kind = inst.ref.kind;
  switch (spec.keyKind) {
    case 'equity': return kind === 'equity' || kind === 'index';
    case 'option': return kind === 'option';
    case 'future': return kind === 'future';
    case 'future-option': return kind === 'future-option';
    case 'forex': return kind === 'forex';
    default: return true;
  }
}
