/**
 * One streamer connection as the broker's server sees it (docs/protocol/schwab.md §3-4, §9; docs/protocol/tdameritrade.md §3-4, §8):
 * the request envelope, LOGIN first, one response entry per request (the entries of one request frame
 * come back together in one `response` array), ADMIN LOGOUT/QOS, the subscription commands, heartbeats,
 * code 30 when nothing has been subscribed for a while, and the data emitter once logged in.
 * The server's pump calls tick(); this class owns no timers.
 */
import type WebSocket from 'ws';
import type { Dialect } from '../../../shared/protocol/services.js';
import type { AuthStore, SimUser } from './auth-store.js';
import { DataEmitter } from './emitter.js';
import type { Market } from './market.js';
import { chartHistoryItem } from './sequence-items.js';
import { parseFields, parseKeys, SubscriptionTable } from './subscriptions.js';
import { verifyTdLogin } from './td-credential.js';

export interface CommandRecord {
  connectionId: number;
  dialect: Dialect;
  service: string;
  command: string;
  keys: string[];
  fields: string[];
  at: number;
}

export interface ConnectionEnv {
  auth: AuthStore;
  rate: number;
  heartbeatMs: number;
  emptySubscriptionTimeoutMs: number;
  capOf: (service: string) => number;
  marketFor: (dialect: Dialect, user: SimUser) => Market;
  loginDenied: () => boolean;
  onLogin: (conn: SimConnection, user: SimUser) => void;
  onCommand: (c: CommandRecord) => void;
  onFrame: (items: number) => void;
  onClose: (conn: SimConnection) => void;
}

type Obj = Record<string, unknown>;
interface ResponseEntry {
  service: string;
  command: string;
  requestid: string;
  SchwabClientCorrelId?: string;
  timestamp: number;
  content: { code: number; msg: string };
}

const BAD_FORMAT = 'Bad command formatting';
/** docs/protocol/tdameritrade.md §3.4: QOS level → update interval. */
const QOS_MS = [500, 750, 1000, 1500, 3000, 5000] as const;
/** Past this much unsent data the emitter waits: a slow reader is not buried (docs/protocol/tdameritrade.md §7). */
const HIGH_WATER_BYTES = 8 * 1024 * 1024;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);

export class SimConnection {
  user: SimUser | null = null;
  /** The `silence` fault: nothing more is sent, not even heartbeats or pongs. */
  silenced = false;
  private closed = false;
  private table: SubscriptionTable;
  private emitter: DataEmitter | null = null;
  private lastHeartbeat = 0;
  private emptySince = 0;
  private loginQos: number | null = null;
  private readonly scheduled: { run: () => void; at: number; every: number }[] = [];

  constructor(
    readonly id: number,
    readonly dialect: Dialect,
    private readonly ws: WebSocket,
    private readonly env: ConnectionEnv,
  ) {
    this.table = new SubscriptionTable(dialect, env.capOf);
    ws.on('message', (data, isBinary) => this.onMessage(isBinary ? null : data.toString()));
    ws.on('ping', (data) => {
      if (!this.silenced && !this.closed) ws.pong(data);
    });
    ws.on('close', () => this.shutdown());
    ws.on('error', () => this.shutdown());
  }

  get isOpen(): boolean {
    return !this.closed;
  }

  // ---- sending and closing ----

  private sendText(text: string, items = 0, after?: () => void): boolean {
    if (this.silenced || this.closed || this.ws.readyState !== this.ws.OPEN) return false;
    this.ws.send(text, after);
    this.env.onFrame(items);
    return true;
  }

  send(frame: unknown, items = 0): boolean {
    return this.sendText(JSON.stringify(frame), items);
  }

  /** Raw text, for the `malformed` fault (not JSON on purpose). */
  sendRaw(text: string): void {
    this.sendText(text);
  }

  notify(service: string, code: number, msg: string): boolean {
    return this.send({ notify: [{ service, timestamp: Date.now(), content: { code, msg } }] });
  }

  /** Closes with a close frame after everything queued (LOGOUT, denied LOGIN, code 12). */
  close(code = 1000): void {
    if (this.closed) return;
    this.shutdown();
    this.ws.close(code);
  }

  /** Ends the socket without a close frame: the client sees 1006 (the `drop` fault). */
  terminate(): void {
    this.shutdown();
    this.ws.terminate();
  }

  /** Sends a last notice, then drops the socket once it is written (code 30: the client sees 1006, docs/protocol/tdameritrade.md §7). */
  private noticeThenDrop(service: string, code: number, msg: string): void {
    const sent = this.sendText(JSON.stringify({ notify: [{ service, timestamp: Date.now(), content: { code, msg } }] }), 0, () => this.ws.terminate());
    this.shutdown();
    if (!sent) this.ws.terminate();
  }

  private shutdown(): void {
    if (this.closed) return;
    this.closed = true;
    this.scheduled.length = 0;
    this.env.onClose(this);
  }

  /** Runs `run` at `at`, and then every `every` ms when every > 0; driven by tick(). */
  schedule(run: () => void, at: number, every = 0): void {
    this.scheduled.push({ run, at, every });
  }

  // ---- the pump ----

  tick(now: number): void {
    if (this.closed) return;
    for (const s of [...this.scheduled]) {
      if (now < s.at || this.closed) continue;
      if (s.every > 0) s.at = now + s.every;
      else this.scheduled.splice(this.scheduled.indexOf(s), 1);
      s.run();
    }
    if (this.closed || !this.user || this.silenced) return;
    if (now - this.lastHeartbeat >= this.env.heartbeatMs) this.heartbeat(now);
    if (!this.table.isEmpty()) this.emptySince = 0;
    else if (this.emptySince === 0) this.emptySince = now;
    else if (now - this.emptySince >= this.env.emptySubscriptionTimeoutMs) {
      this.noticeThenDrop('ADMIN', 30, 'Stop streaming due to empty subscription');
      return;
    }
    this.emitter?.tick(now, this.ws.bufferedAmount > HIGH_WATER_BYTES);
  }

  private heartbeat(now: number): void {
    this.lastHeartbeat = now;
    this.send({ notify: [{ heartbeat: String(now) }] });
  }

  // ---- requests ----

  private onMessage(text: string | null): void {
    // A silenced server has gone dark: it does not act on requests either.
    if (this.closed || this.silenced) return;
    let frame: unknown;
    try {
      frame = text === null ? undefined : JSON.parse(text);
    } catch {
      frame = undefined;
    }
    let requests: unknown[] | null = null;
    if (isObj(frame) && Array.isArray(frame.requests)) requests = frame.requests;
    // docs/protocol/schwab.md §3.2: the guide also shows a bare request object; accept it on Schwab.
    else if (this.dialect === 'schwab' && isObj(frame) && typeof frame.command === 'string') requests = [frame];
    const responses: ResponseEntry[] = [];
    let closeAfter = false;
    if (!requests || requests.length === 0) responses.push(this.entry({}, 21, BAD_FORMAT));
    else {
      for (const r of requests) {
        closeAfter = this.onRequest(isObj(r) ? r : {}, responses);
        if (closeAfter) break;
      }
    }
    if (responses.length > 0) this.send({ response: responses });
    if (closeAfter) this.close(1000);
  }

  private entry(req: Obj, code: number, msg: string): ResponseEntry {
    const e: ResponseEntry = {
      service: typeof req.service === 'string' ? req.service : 'ADMIN',
      command: typeof req.command === 'string' ? req.command : '',
      // Always a string on the wire, whatever the client sent (docs/protocol/schwab.md §3.2, docs/protocol/tdameritrade.md §3.2).
      requestid: req.requestid === undefined || req.requestid === null ? '' : String(req.requestid),
      timestamp: Date.now(),
      content: { code, msg },
    };
    if (this.dialect === 'schwab') {
      const correl = this.user?.correlId ?? (typeof req.SchwabClientCorrelId === 'string' ? req.SchwabClientCorrelId : undefined);
      if (correl !== undefined) {
        const { timestamp, content, ...head } = e;
        return { ...head, SchwabClientCorrelId: correl, timestamp, content };
      }
    }
    return e;
  }

  /** Handles one request; returns true when the connection must close after the responses. */
  private onRequest(req: Obj, out: ResponseEntry[]): boolean {
    const service = typeof req.service === 'string' ? req.service : '';
    const command = typeof req.command === 'string' ? req.command : '';
    const params = isObj(req.parameters) ? req.parameters : {};
    this.env.onCommand({
      connectionId: this.id, dialect: this.dialect, service, command, keys: parseKeys(params.keys) ?? [],
      fields: [...(parseFields(params.fields) ?? [])].map(String), at: Date.now(),
    });
    const reply = (code: number, msg: string) => out.push(this.entry(req, code, msg));
    if (!service || !command) {
      reply(21, BAD_FORMAT);
      return false;
    }
    if (this.dialect === 'schwab' && (typeof req.SchwabClientCustomerId !== 'string' || typeof req.SchwabClientCorrelId !== 'string')) {
      // Both ids on every request, or code 21 and the socket is closed (docs/protocol/schwab.md §3.2, obs).
      reply(21, BAD_FORMAT);
      return true;
    }
    if (service === 'ADMIN' && command === 'LOGIN') return this.login(req, params, reply);
    if (!this.user) {
      if (this.dialect === 'schwab') reply(20, 'STREAM CONNECTION NOT FOUND - Please login again.');
      else reply(3, 'Login Denied. - Please login first.');
      return false;
    }
    if (this.dialect === 'schwab' && (req.SchwabClientCustomerId !== this.user.customerId || req.SchwabClientCorrelId !== this.user.correlId)) {
      // Ids changed after LOGIN (docs/protocol/schwab.md §3.2, §4.2).
      reply(20, 'STREAM CONNECTION NOT FOUND - Please login again.');
      return false;
    }
    if (service === 'ADMIN') return this.admin(command, params, reply);
    if (command === 'GET' && this.dialect === 'tdameritrade' && service === 'CHART_HISTORY_FUTURES') {
      this.chartHistory(req, params);
      return false;
    }
    const outcome = this.table.apply(service, command, params);
    reply(outcome.code, outcome.msg);
    const sub = this.table.get(service);
    if ((outcome.code === 0 || outcome.code === 19) && sub) this.emitter?.applied(sub, outcome, Date.now());
    return false;
  }

  private login(req: Obj, params: Obj, reply: (code: number, msg: string) => void): boolean {
    let user: SimUser | undefined;
    if (this.dialect === 'schwab') {
      const token = typeof params.Authorization === 'string' ? params.Authorization : '';
      const u = this.env.auth.userForAccess('schwab', token);
      if (u && req.SchwabClientCustomerId === u.customerId && req.SchwabClientCorrelId === u.correlId) user = u;
    } else {
      user = verifyTdLogin(params, this.env.auth);
      // Streaming another account than the login user's: closed with 1000 and no reason (docs/protocol/tdameritrade.md §7).
      if (user && typeof req.account === 'string' && req.account !== user.accountId) {
        this.close(1000);
        return true;
      }
    }
    if (!user || this.env.loginDenied()) {
      reply(3, this.dialect === 'schwab' ? 'Login Denied.: token is invalid or has expired.' : 'Login Denied.');
      return true;
    }
    const fresh = this.user !== user;
    this.user = user;
    const level = Number(params.qoslevel);
    if (this.dialect === 'tdameritrade' && params.qoslevel !== undefined && Number.isInteger(level) && level >= 0 && level <= 5) this.loginQos = QOS_MS[level]!;
    reply(0, this.dialect === 'schwab' ? 'server=s0001dc1-1;status=NP' : '02-1');
    if (fresh) {
      this.emitter = new DataEmitter({
        dialect: this.dialect,
        market: this.env.marketFor(this.dialect, user),
        rate: this.env.rate,
        account: { accountId: user.accountId, subscriptionKey: user.subscriptionKey },
        send: (frame, items) => this.send(frame, items),
      });
      if (this.loginQos !== null) this.emitter.setQos(this.loginQos);
      this.table = new SubscriptionTable(this.dialect, this.env.capOf);
      this.emptySince = Date.now();
      this.env.onLogin(this, user);
    }
    // Schwab sends a heartbeat right after the LOGIN response (docs/protocol/schwab.md §3.3); TD only every ~10 s.
    if (this.dialect === 'schwab') queueMicrotask(() => this.heartbeat(Date.now()));
    else this.lastHeartbeat = Date.now();
    return false;
  }

  private admin(command: string, params: Obj, reply: (code: number, msg: string) => void): boolean {
    if (command === 'LOGOUT') {
      reply(0, 'SUCCESS');
      return true;
    }
    if (command === 'QOS' && this.dialect === 'tdameritrade') {
      const text = typeof params.qoslevel === 'number' ? String(params.qoslevel) : params.qoslevel;
      if (typeof text !== 'string' || !/^[0-5]$/.test(text)) reply(21, BAD_FORMAT);
      else {
        this.emitter?.setQos(QOS_MS[Number(text)]!);
        reply(0, `QoS command succeeded. Set qoslevel=${text}`);
      }
      return false;
    }
    // Schwab has no QOS (docs/protocol/schwab.md §3.5); ADMIN takes no subscription commands (docs/protocol/tdameritrade.md §3.4).
    reply(21, BAD_FORMAT);
    return false;
  }

  /** TD's one-shot GET, answered in a `snapshot` envelope with no `response` (docs/protocol/tdameritrade.md §4.5, §5.8). */
  private chartHistory(req: Obj, params: Obj): void {
    const symbol = typeof params.symbol === 'string' ? params.symbol : '';
    const requestId = req.requestid === undefined ? '' : String(req.requestid);
    const now = Date.now();
    const market = this.env.marketFor(this.dialect, this.user!);
    const inst = market.instrument(symbol, this.dialect, now);
    const item = inst && inst.ref.kind === 'future' ? chartHistoryItem(inst, symbol, requestId, params, now) : null;
    const content = item ? [item] : [{ key: symbol, '0': requestId, '1': 1, '2': 0, '3': [] }];
    this.send({ snapshot: [{ service: 'CHART_HISTORY_FUTURES', timestamp: now, command: 'GET', content }] }, content.length);
  }
}
