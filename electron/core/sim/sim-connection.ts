/**
 * One streamer connection as the broker's server sees it: LOGIN first, one response per command,
 * SUBS/ADD/UNSUBS/VIEW semantics, heartbeats, code 30 when idle with nothing subscribed, and the
 * market data itself (full first, then only changed fields; whole books, actives and screeners;
 * sequenced bars and time and sales). Follows schwab.md 9 and tdameritrade.md 8.
 */
import type WebSocket from 'ws';
import type { FieldValue } from '../../../shared/market.js';
import { serviceSpec, type Dialect, type ServiceSpec } from '../../../shared/protocol/services.js';
import type { AuthStore, SimUser } from './auth-store.js';
import { fieldValue } from './field-values.js';
import type { Instrument } from './instruments.js';
import type { Market } from './market.js';

export interface SimSettings {
  rate: number;
  heartbeatMs: number;
  emptySubscriptionTimeoutMs: number;
  barMs: number;
  symbolCap: (service: string) => number;
}

export interface CommandRecord {
  connectionId: number;
  dialect: Dialect;
  service: string;
  command: string;
  keys: string[];
  fields: string[];
  at: number;
}

export interface ConnectionHooks {
  auth: AuthStore;
  market: Market;
  settings: SimSettings;
  denyLogin: () => boolean;
  onLogin: (conn: SimConnection, user: SimUser) => void;
  onCommand: (c: CommandRecord) => void;
  onSent: (updates: number) => void;
  onClose: (conn: SimConnection) => void;
}

interface Subscription {
  spec: ServiceSpec;
  keys: Set<string>;
  fields: Set<number>;
  /** Last values sent per key (field id → value): what makes a delta a delta. */
  sent: Map<string, Map<number, FieldValue>>;
  seq: Map<string, number>;
}

type Obj = Record<string, unknown>;
const TICK_MS = 25;
/** Fields that move with the market; the rest are sent once, with a key's first item. */
const VOLATILE = new Set([
  'bid_price', 'ask_price', 'last_price', 'mark', 'bid_size', 'ask_size', 'last_size', 'total_volume', 'high_price', 'low_price',
  'net_change', 'net_change_percent', 'net_percent_change', 'change_percent', 'future_percent_change', 'future_change_percent',
  'quote_time', 'trade_time', 'quote_time_millis', 'trade_time_millis', 'quote_time_in_long', 'trade_time_in_long',
  'bid_time_millis', 'ask_time_millis', 'quote_day', 'trade_day', 'open_interest',
]);
/** tdameritrade.md 3.4: QOS level → update interval. */
const QOS_MS = [500, 750, 1000, 1500, 3000, 5000];

const ASSET: Record<Instrument['kind'], { schwab: string; td: string }> = {
  equity: { schwab: 'EQUITY', td: 'EQUITY' },
  option: { schwab: 'OPTION', td: 'OPTION' },
  future: { schwab: 'FUTURE', td: 'FUTURE' },
  'future-option': { schwab: 'FUTURE_OPTION', td: 'FUTURES_OPTION' },
  forex: { schwab: 'FOREX', td: 'FOREX' },
};

export class SimConnection {
  user: SimUser | null = null;
  silenced = false;
  private readonly subs = new Map<string, Subscription>();
  private readonly timers: NodeJS.Timeout[] = [];
  private emptyTimer: NodeJS.Timeout | null = null;
  private ticker: NodeJS.Timeout | null = null;
  private budget = 0;
  private cursor = 0;
  private qosMs: number;
  private readonly lastEmit = new Map<string, number>();
  private readonly notFoundSent = new Set<string>();
  private lastBookAt = 0;
  private lastWholeAt = 0;
  private lastBarAt = 0;
  private activesId = 1;
  private closed = false;

  constructor(
    readonly id: number,
    readonly dialect: Dialect,
    private readonly ws: WebSocket,
    private readonly hooks: ConnectionHooks,
  ) {
    this.qosMs = dialect === 'tdameritrade' ? QOS_MS[2]! : 0;
    ws.on('message', (data, isBinary) => {
      if (!isBinary) this.onText(data.toString());
    });
    ws.on('close', () => this.shutdown());
    ws.on('error', () => this.shutdown());
  }

  // ---- sending ----

  send(frame: unknown): void {
    if (this.silenced || this.closed || this.ws.readyState !== this.ws.OPEN) return;
    this.ws.send(typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  private respond(req: Obj, code: number, msg: string): void {
    const r: Obj = {
      service: typeof req.service === 'string' ? req.service : 'ADMIN',
      command: typeof req.command === 'string' ? req.command : '',
      requestid: req.requestid === undefined ? '' : String(req.requestid),
      timestamp: Date.now(),
      content: { code, msg },
    };
    if (this.dialect === 'schwab' && this.user) r.SchwabClientCorrelId = this.user.correlId;
    this.send({ response: [r] });
  }

  notify(service: string, code: number, msg: string): void {
    this.send({ notify: [{ service, timestamp: Date.now(), content: { code, msg } }] });
  }

  /** Ends the connection from the server side after an optional last frame. */
  close(code = 1000): void {
    this.shutdown();
    try {
      this.ws.close(code);
    } catch {
      // already closing
    }
  }

  terminate(): void {
    this.shutdown();
    this.ws.terminate();
  }

  private shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    for (const t of this.timers) clearInterval(t);
    if (this.emptyTimer) clearTimeout(this.emptyTimer);
    if (this.ticker) clearInterval(this.ticker);
    this.hooks.onClose(this);
  }

  schedule(fn: () => void, ms: number, repeat: boolean): void {
    const t = repeat ? setInterval(fn, ms) : setTimeout(fn, ms);
    t.unref();
    this.timers.push(t);
  }

  // ---- requests ----

  private onText(text: string): void {
    let msg: unknown;
    try {
      msg = JSON.parse(text);
    } catch {
      this.respond({ service: 'ADMIN' }, 21, 'Bad command formatting');
      return;
    }
    const requests: unknown[] = typeof msg === 'object' && msg !== null && Array.isArray((msg as Obj).requests)
      ? ((msg as Obj).requests as unknown[])
      : this.dialect === 'schwab' && typeof msg === 'object' && msg !== null && 'command' in msg
        ? [msg] // schwab.md 3.2: a bare request object is accepted
        : [];
    if (requests.length === 0) {
      this.respond({ service: 'ADMIN' }, 21, 'Bad command formatting');
      return;
    }
    for (const r of requests) {
      if (this.closed) return;
      if (typeof r === 'object' && r !== null) this.onRequest(r as Obj);
      else this.respond({ service: 'ADMIN' }, 21, 'Bad command formatting');
    }
  }

  private onRequest(req: Obj): void {
    const service = typeof req.service === 'string' ? req.service.toUpperCase() : '';
    const command = typeof req.command === 'string' ? req.command.toUpperCase() : '';
    const params = (typeof req.parameters === 'object' && req.parameters !== null ? req.parameters : {}) as Obj;
    const keys = typeof params.keys === 'string' ? params.keys.split(',').map((k) => k.trim()).filter(Boolean) : [];
    const fieldsText = typeof params.fields === 'string' ? params.fields : undefined;
    this.hooks.onCommand({ connectionId: this.id, dialect: this.dialect, service, command, keys, fields: fieldsText?.split(',') ?? [], at: Date.now() });

    if (this.dialect === 'schwab' && (typeof req.SchwabClientCustomerId !== 'string' || typeof req.SchwabClientCorrelId !== 'string')) {
      // schwab.md 3.2 (obs): missing ids → code 21, then the socket is closed.
      this.respond(req, 21, 'Bad command formatting');
      this.close();
      return;
    }
    if (service === 'ADMIN' && command === 'LOGIN') return this.login(req, params);
    if (!this.user) {
      if (this.dialect === 'schwab') this.respond(req, 20, 'STREAM CONNECTION NOT FOUND - Please login again.');
      else this.respond(req, 3, 'Login Denied. - Please login first.');
      return;
    }
    if (this.dialect === 'schwab' && (req.SchwabClientCustomerId !== this.user.customerId || req.SchwabClientCorrelId !== this.user.correlId)) {
      this.respond(req, 20, 'STREAM CONNECTION NOT FOUND - Please login again.');
      return;
    }
    if (service === 'ADMIN') {
      if (command === 'LOGOUT') {
        this.respond(req, 0, 'SUCCESS');
        this.close();
      } else if (command === 'QOS' && this.dialect === 'tdameritrade') {
        const level = Number(params.qoslevel);
        if (!Number.isInteger(level) || level < 0 || level > 5) this.respond(req, 21, 'Bad command formatting');
        else {
          this.qosMs = QOS_MS[level]!;
          this.respond(req, 0, `QoS command succeeded. Set qoslevel=${level}`);
        }
      } else this.respond(req, 21, 'Bad command formatting');
      return;
    }
    this.subscription(req, service, command, keys, fieldsText);
  }

  private login(req: Obj, params: Obj): void {
    let user: SimUser | undefined;
    if (this.dialect === 'schwab') {
      const token = typeof params.Authorization === 'string' ? params.Authorization.replace(/^Bearer /, '') : '';
      const u = this.hooks.auth.userForAccess('schwab', token);
      if (u && req.SchwabClientCustomerId === u.customerId && req.SchwabClientCorrelId === u.correlId) user = u;
    } else {
      user = this.tdCredentialUser(params);
    }
    if (!user || this.hooks.denyLogin()) {
      this.respond(req, 3, this.dialect === 'schwab' ? 'Login Denied.: token is invalid or has expired.' : 'Login Denied.');
      this.close();
      return;
    }
    this.user = user;
    this.respond(req, 0, this.dialect === 'schwab' ? 'server=s0001dc1-1;status=NP' : '02-1');
    this.hooks.onLogin(this, user);
    if (this.dialect === 'schwab') this.heartbeat();
    this.schedule(() => this.heartbeat(), this.hooks.settings.heartbeatMs, true);
    this.ticker = setInterval(() => this.tick(), TICK_MS);
    this.ticker.unref();
    this.armEmptyTimer();
  }

  /** tdameritrade.md 3.3: the credential is a query string (sometimes encoded twice). */
  private tdCredentialUser(params: Obj): SimUser | undefined {
    let text = typeof params.credential === 'string' ? params.credential : '';
    if (!text.includes('=') && text.includes('%3D')) text = decodeURIComponent(text);
    const c = new URLSearchParams(text);
    const user = this.hooks.auth.userByAccount(c.get('userid') ?? '');
    if (!user) return undefined;
    const expected: Record<string, string> = {
      token: user.streamerToken, company: 'AMER', segment: 'AMER', cddomain: user.cdDomainId, usergroup: 'ACCT',
      accesslevel: 'ACCT', authorized: 'Y', timestamp: String(user.tokenTimestamp), appid: user.appId, acl: user.acl,
    };
    for (const [k, v] of Object.entries(expected)) if (c.get(k) !== v) return undefined;
    return params.token === user.streamerToken ? user : undefined;
  }

  private heartbeat(): void {
    this.send({ notify: [{ heartbeat: String(Date.now()) }] });
  }

  private armEmptyTimer(): void {
    const empty = [...this.subs.values()].every((s) => s.keys.size === 0);
    if (!empty) {
      if (this.emptyTimer) clearTimeout(this.emptyTimer);
      this.emptyTimer = null;
      return;
    }
    if (this.emptyTimer) return;
    this.emptyTimer = setTimeout(() => {
      this.notify('ADMIN', 30, 'Stop streaming due to empty subscription');
      this.close();
    }, this.hooks.settings.emptySubscriptionTimeoutMs);
    this.emptyTimer.unref();
  }

  private subscription(req: Obj, service: string, command: string, keys: string[], fieldsText: string | undefined): void {
    const spec = serviceSpec(this.dialect, service);
    if (!spec || spec.unavailable) {
      this.respond(req, 11, 'Service not available or temporary down.');
      return;
    }
    if (!['SUBS', 'ADD', 'UNSUBS', 'VIEW'].includes(command) || (service === 'ACCT_ACTIVITY' && (command === 'ADD' || command === 'VIEW'))) {
      this.respond(req, 21, 'Bad command formatting');
      return;
    }
    const failCode = { SUBS: 22, UNSUBS: 23, ADD: 24, VIEW: 25 }[command as 'SUBS']!;
    let fields: Set<number> | null = null;
    if (fieldsText !== undefined) {
      fields = new Set(fieldsText.split(',').map(Number).filter((n) => Number.isInteger(n) && n >= 0));
    }
    if ((command === 'SUBS' || command === 'ADD' || command === 'VIEW') && (!fields || fields.size === 0)) {
      this.respond(req, failCode, `${command} command failed`);
      return;
    }
    let sub = this.subs.get(service);
    if (!sub) {
      sub = { spec, keys: new Set(), fields: new Set(), sent: new Map(), seq: new Map() };
      this.subs.set(service, sub);
    }
    if (command === 'SUBS') {
      sub.keys.clear();
      sub.sent.clear();
    }
    if (command === 'SUBS' || command === 'VIEW') sub.fields = fields!;
    else if (command === 'ADD') for (const f of fields!) sub.fields.add(f);
    if (command === 'UNSUBS') {
      for (const k of keys) {
        sub.keys.delete(k);
        sub.sent.delete(k);
      }
    }
    const added: string[] = [];
    if (command === 'SUBS' || command === 'ADD') {
      const cap = this.hooks.settings.symbolCap(service);
      let discarded = 0;
      for (const k of keys) {
        if (sub.keys.has(k)) continue;
        if (sub.keys.size >= cap) {
          discarded++;
          continue;
        }
        sub.keys.add(k);
        added.push(k);
      }
      if (discarded > 0) {
        this.respond(req, 19, `You've reached the maximum number of symbols allowed.  (${service}=${cap}, DISCARDED=${discarded})`);
        this.armEmptyTimer();
        return;
      }
    }
    if (command === 'VIEW') sub.sent.clear();
    this.respond(req, 0, `${command} command succeeded`);
    this.armEmptyTimer();
    if (added.length > 0) this.onAdded(sub, added);
  }

  private onAdded(sub: Subscription, keys: string[]): void {
    const service = sub.spec.name;
    if (service === 'ACCT_ACTIVITY' && this.dialect === 'tdameritrade') {
      this.data([{ service, items: keys.map((k) => ({ seq: 0, key: k, '1': this.user?.accountId ?? '', '2': 'SUBSCRIBED', '3': '' })) }]);
    }
    // A chart subscription starts with the last completed bar, so a client can draw at once.
    if (service.startsWith('CHART_') && sub.spec.delivery === 'sequence') {
      const items = keys.map((k) => this.barItem(sub, k, Math.floor(Date.now() / this.hooks.settings.barMs) * this.hooks.settings.barMs - this.hooks.settings.barMs)).filter((i): i is Obj => i !== null);
      if (items.length > 0) this.data([{ service, items }]);
    }
  }

  // ---- market data ----

  private data(entries: { service: string; items: Obj[] }[]): void {
    const now = Date.now();
    const data = entries.filter((e) => e.items.length > 0).map((e) => ({ service: e.service, timestamp: now, command: 'SUBS', content: e.items }));
    if (data.length === 0) return;
    this.send({ data });
    this.hooks.onSent(data.reduce((s, e) => s + e.content.length, 0));
  }

  private levelOneItem(sub: Subscription, key: string, now: number): Obj | null {
    const inst = this.hooks.market.instrument(key, this.dialect);
    const spec = sub.spec;
    if (!inst) {
      if (this.notFoundSent.has(`${spec.name}:${key}`)) return null;
      this.notFoundSent.add(`${spec.name}:${key}`);
      const desc = spec.fields.find((f) => f?.name === 'description');
      return desc ? { key, delayed: false, [String(desc.id)]: 'Symbol not found' } : { key };
    }
    let sent = sub.sent.get(key);
    const first = !sent;
    if (!sent) {
      sent = new Map();
      sub.sent.set(key, sent);
    } else {
      this.hooks.market.step(inst, now);
    }
    const item: Obj = { key };
    if (first) {
      item.delayed = false;
      item.assetMainType = ASSET[inst.kind][this.dialect === 'schwab' ? 'schwab' : 'td'];
      if (inst.kind === 'equity') {
        if (this.dialect === 'schwab') item.assetSubType = 'COE';
        item.cusip = '000000000';
      }
    }
    let changed = 0;
    for (const id of sub.fields) {
      const def = spec.fields[id];
      if (!def || (!first && !VOLATILE.has(def.name))) continue;
      const v = fieldValue(def.name, inst, this.dialect, spec.name);
      if (v === undefined || sent.get(id) === v) continue;
      sent.set(id, v);
      item[String(id)] = v;
      changed++;
    }
    return first || changed > 0 ? item : null;
  }

  private barItem(sub: Subscription, key: string, start: number): Obj | null {
    const inst = this.hooks.market.instrument(key, this.dialect);
    if (!inst) return null;
    const bar = this.hooks.market.bar(inst, start);
    const seq = (sub.seq.get(key) ?? 0) + 1;
    sub.seq.set(key, seq);
    const etMinutes = Math.floor((((start - 5 * 3600_000) % 86_400_000) + 86_400_000) % 86_400_000 / 60_000) - 7 * 60;
    const byName: Record<string, FieldValue> = {
      open_price: bar.open, high_price: bar.high, low_price: bar.low, close_price: bar.close, volume: bar.volume,
      sequence: etMinutes, chart_time: start, chart_time_millis: start, chart_day: Math.floor(start / 86_400_000),
    };
    const item: Obj = { seq, key };
    for (const id of sub.fields) {
      const def = sub.spec.fields[id];
      if (def && byName[def.name] !== undefined) item[String(id)] = byName[def.name];
    }
    return item;
  }

  private tick(): void {
    if (this.silenced || this.closed) return;
    const now = Date.now();
    const entries = new Map<string, Obj[]>();
    const push = (service: string, item: Obj) => {
      const list = entries.get(service) ?? [];
      list.push(item);
      entries.set(service, list);
    };
    // Level one: `rate` items per second across every subscribed key, round robin.
    const pairs: [Subscription, string][] = [];
    for (const sub of this.subs.values()) if (sub.spec.delivery === 'change') for (const k of sub.keys) pairs.push([sub, k]);
    const timesales = [...this.subs.values()].filter((s) => s.spec.name.startsWith('TIMESALE_'));
    if (pairs.length > 0) {
      this.budget += (this.hooks.settings.rate * TICK_MS) / 1000;
      let n = Math.floor(this.budget);
      this.budget -= n;
      for (let tries = 0; n > 0 && tries < pairs.length * 2; tries++) {
        const [sub, key] = pairs[this.cursor++ % pairs.length]!;
        const id = `${sub.spec.name}\u0000${key}`;
        // TD conflates per key at the QOS interval (tdameritrade.md 4.6); the first item is never held back.
        if (this.qosMs > 0 && sub.sent.has(key) && now - (this.lastEmit.get(id) ?? 0) < this.qosMs) continue;
        const before = this.hooks.market.instrument(key, this.dialect)?.tradeTime;
        const item = this.levelOneItem(sub, key, now);
        if (!item) continue;
        this.lastEmit.set(id, now);
        push(sub.spec.name, item);
        n--;
        const inst = this.hooks.market.instrument(key, this.dialect);
        if (inst && before !== undefined && inst.tradeTime !== before) {
          for (const ts of timesales) {
            if (!ts.keys.has(key)) continue;
            const seq = (ts.seq.get(key) ?? 0) + 1;
            ts.seq.set(key, seq);
            push(ts.spec.name, { seq, key, '1': inst.tradeTime, '2': inst.last, '3': inst.lastSize, '4': inst.trades });
          }
        }
      }
    }
    if (now - this.lastBookAt >= 500) {
      this.lastBookAt = now;
      for (const sub of this.subs.values()) {
        if (sub.spec.structure !== 'book') continue;
        for (const key of sub.keys) {
          const inst = this.hooks.market.instrument(key, this.dialect);
          if (!inst) continue;
          const book = this.hooks.market.book(inst, now);
          push(sub.spec.name, { key, '1': now, '2': book.bids, '3': book.asks });
        }
      }
    }
    if (now - this.lastWholeAt >= 2000) {
      this.lastWholeAt = now;
      for (const sub of this.subs.values()) {
        for (const key of sub.keys) {
          if (sub.spec.structure === 'actives') push(sub.spec.name, { key, '1': this.hooks.market.actives(key, this.dialect, this.activesId++, new Date(now)) });
          if (sub.spec.structure === 'screener') {
            const sortField = key.split('_').slice(-2, -1)[0] ?? 'VOLUME';
            push(sub.spec.name, { key, '1': now, '2': sortField, '3': Number(key.split('_').pop()) || 0, '4': this.hooks.market.screener(this.dialect, sortField) });
          }
        }
      }
    }
    const barMs = this.hooks.settings.barMs;
    const barStart = Math.floor(now / barMs) * barMs;
    if (this.lastBarAt === 0) this.lastBarAt = barStart;
    if (barStart > this.lastBarAt) {
      const completed = barStart - barMs;
      this.lastBarAt = barStart;
      for (const sub of this.subs.values()) {
        if (!sub.spec.name.startsWith('CHART_')) continue;
        for (const key of sub.keys) {
          const item = this.barItem(sub, key, completed);
          if (item) push(sub.spec.name, item);
        }
      }
    }
    this.data([...entries].map(([service, items]) => ({ service, items })));
  }
}
