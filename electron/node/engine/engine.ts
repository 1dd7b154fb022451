/**
 * The ingest engine: provider → streamer client → codec → recorder + merged state + publisher.
 * Runs under plain Node (CLI, browser mode, tests) and inside the app's ingest worker alike.
 */
import type { EngineEvent, EngineStatus, QuoteRecord } from '../../../shared/engine-events.js';
import type { MarketUpdate } from '../../../shared/market.js';
import { serviceSpec } from '../../../shared/protocol/services.js';
import { decodeFrame } from '../codec/decode-frame.js';
import type { StreamerProvider } from '../provider/types.js';
import { QuoteState } from '../state/quote-state.js';
import type { StreamerEvent } from '../streamer/streamer-events.js';
import { StreamerClient, type StreamerClientOptions } from '../streamer/streamer-client.js';
import { QuotePublisher } from './publisher.js';
import { RateMeter } from './rate-meter.js';

/** What the engine needs from a recorder (electron/node/recorder satisfies it). */
export interface RecordSink {
  /** Logs a connection (its `sessions` row) under the streamer client's id for it. */
  beginConnection(info: { connectionId: number; provider: string; dialect: string; url: string; startedAt?: number }): void;
  endConnection(connectionId: number, reason: string, endedAt?: number): void;
  /** `merged`: the merged record each update produced, in order (the recorder's latest rows come from them). */
  record(frame: { connectionId: number; receivedAt: number; text: string; updates: readonly MarketUpdate[]; merged: readonly QuoteRecord[] }): void;
  stats(): { rows: number; dbBytes: number };
  /** Commits what is left; a recorder with a writer thread finishes asynchronously. */
  close(): void | Promise<void>;
}

/** Sees every update as received, with the merged record it produced (for tapes and bar series). */
export type UpdateListener = (update: MarketUpdate, merged: QuoteRecord, receivedAt: number) => void;

export interface SubscriptionRequest {
  service: string;
  keys: string[];
  fields?: number[];
}

export interface EngineOptions {
  provider: StreamerProvider;
  recorder?: RecordSink | null;
  subscriptions?: SubscriptionRequest[];
  /** Streamer client options (timeouts, backoff, QOS…). */
  client?: Partial<Omit<StreamerClientOptions, 'provider' | 'decode' | 'onFrame' | 'onEvent' | 'connectionLog'>>;
  /** Coalescing interval of quote batches for a display (ms). */
  publishIntervalMs?: number;
  /** Emit 'quotes' batches (a display needs them; a headless recorder does not). Default true. */
  publishQuotes?: boolean;
}

export class Engine {
  readonly quotes: QuoteState;
  private readonly client: StreamerClient;
  private readonly listeners = new Set<(e: EngineEvent) => void>();
  private readonly updateListeners = new Set<UpdateListener>();
  private readonly publisher: QuotePublisher;
  private readonly meter = new RateMeter();
  private recorder: RecordSink | null;
  /** The live connection, as the streamer client numbered it; null between connections. */
  private live: { connectionId: number; url: string } | null = null;
  private counters = { updates: 0, frames: 0, problems: 0 };
  private lastFrameAt: number | null = null;
  private problemCounts = new Map<string, number>();
  private loginRequired = false;

  constructor(private readonly opts: EngineOptions) {
    const provider = opts.provider;
    this.recorder = opts.recorder ?? null;
    this.quotes = new QuoteState(provider.dialect);
    this.publisher = new QuotePublisher(opts.publishIntervalMs ?? 16, (batch) =>
      this.emit({ type: 'quotes', ...batch }),
    );
    this.client = new StreamerClient({
      ...opts.client,
      provider,
      decode: decodeFrame,
      onFrame: (frame) => this.onFrame(frame.connectionId, frame.text, frame.decoded.updates, frame.decoded.problems, frame.receivedAt),
      onEvent: (event) => this.onClientEvent(event),
      connectionLog: {
        begin: ({ connectionId, url, startedAt }) => {
          this.live = { connectionId, url };
          this.recorder?.beginConnection({ connectionId, provider: provider.name, dialect: provider.dialect, url, startedAt });
        },
        end: (connectionId, reason, endedAt) => {
          this.recorder?.endConnection(connectionId, reason, endedAt);
          this.live = null;
        },
      },
    });
    for (const s of opts.subscriptions ?? []) this.client.subscribe(s.service, s.keys, s.fields);
  }

  on(listener: (e: EngineEvent) => void): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  onUpdate(listener: UpdateListener): () => void {
    this.updateListeners.add(listener);
    return () => this.updateListeners.delete(listener);
  }

  private emit(event: EngineEvent): void {
    for (const l of this.listeners) l(event);
  }

  start(): void {
    this.client.start();
  }

  /** Logs out, flushes and closes the recorder and the provider. */
  async stop(): Promise<void> {
    await this.client.stop();
    this.publisher.flush();
    this.publisher.stop();
    await this.recorder?.close();
    await this.opts.provider.close();
    this.emit({ type: 'status', status: this.status() });
  }

  /**
   * Starts or stops recording without touching the connection: the new recorder gets a sessions row
   * for the live connection; the old one ends its row and is closed.
   */
  setRecorder(next: RecordSink | null): void {
    const previous = this.recorder;
    if (previous === next) return;
    const now = Date.now();
    const live = this.live;
    if (previous && live) previous.endConnection(live.connectionId, 'recording stopped', now);
    this.recorder = next;
    if (next && live) {
      const p = this.opts.provider;
      next.beginConnection({ connectionId: live.connectionId, provider: p.name, dialect: p.dialect, url: live.url, startedAt: now });
    }
    if (previous) {
      void Promise.resolve()
        .then(() => previous.close())
        .catch((err: Error) => this.reportProblem({ kind: 'recorder', detail: err.message }));
    }
    this.emit({ type: 'status', status: this.status() });
  }

  subscribe(service: string, keys: string[], fields?: number[]): void {
    this.client.subscribe(service, keys, fields);
  }

  unsubscribe(service: string, keys: string[]): void {
    this.client.unsubscribe(service, keys);
  }

  setFields(service: string, fields: number[]): void {
    this.client.setFields(service, fields);
  }

  subscriptions() {
    return this.client.subscriptions.list();
  }

  status(): EngineStatus {
    const rec = this.recorder?.stats();
    return {
      provider: this.opts.provider.name,
      dialect: this.opts.provider.dialect,
      simulated: this.opts.provider.simulated,
      ...this.client.connection,
      updates: this.counters.updates,
      updatesPerSec: this.meter.perSecond(),
      frames: this.counters.frames,
      problems: this.counters.problems,
      reconnects: this.client.reconnectCount,
      recording: this.recorder !== null,
      rows: rec?.rows ?? 0,
      dbBytes: rec?.dbBytes ?? 0,
      lastFrameAt: this.lastFrameAt,
      loginRequired: this.loginRequired,
    };
  }

  /** Problems reported so far by kind (malformed-json, unknown-field…), the services added up. */
  problemsByKind(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [id, n] of this.problemCounts) {
      const kind = id.slice(0, id.indexOf('\u0000'));
      out[kind] = (out[kind] ?? 0) + n;
    }
    return out;
  }

  private onFrame(
    connectionId: number,
    text: string,
    updates: readonly MarketUpdate[],
    problems: readonly { kind: string; detail: string; service?: string }[],
    receivedAt: number,
  ): void {
    this.counters.frames++;
    this.counters.updates += updates.length;
    this.lastFrameAt = receivedAt;
    if (updates.length > 0) this.meter.add(updates.length);
    const merged = new Array<QuoteRecord>(updates.length);
    const publishing = this.opts.publishQuotes !== false && this.listeners.size > 0;
    const watching = this.updateListeners.size > 0;
    for (let i = 0; i < updates.length; i++) {
      const update = updates[i]!;
      // Listeners see the record as this update left it (a tape derives trades from it).
      const record = (merged[i] = this.quotes.apply(update, receivedAt) as QuoteRecord);
      if (publishing) this.publisher.offer(record, this.mergesDeltas(update.service) ? update.fields : null, receivedAt);
      if (watching) this.tellUpdateListeners(update, record, receivedAt);
    }
    // Recorded after the merge, so the recorder takes its latest rows from the merged records
    // instead of merging again. The frame is archived even when it decoded to nothing
    // (malformed, unknown service).
    if (this.recorder && this.live) this.recorder.record({ connectionId, receivedAt, text, updates, merged });
    for (const p of problems) this.reportProblem(p);
  }

  /** A failing listener is a problem to report, never a reason to lose the frame from the archive. */
  private tellUpdateListeners(update: MarketUpdate, record: QuoteRecord, receivedAt: number): void {
    for (const l of this.updateListeners) {
      try {
        l(update, record, receivedAt);
      } catch (err) {
        this.reportProblem({ kind: 'listener', detail: (err as Error).message });
      }
    }
  }

  private readonly deltaServices = new Map<string, boolean>();

  private mergesDeltas(service: string): boolean {
    let d = this.deltaServices.get(service);
    if (d === undefined) {
      d = serviceSpec(this.opts.provider.dialect, service)?.delivery === 'change';
      this.deltaServices.set(service, d);
    }
    return d;
  }

  private reportProblem(p: { kind: string; detail: string; service?: string }): void {
    this.counters.problems++;
    const id = `${p.kind}\u0000${p.service ?? ''}`;
    const count = (this.problemCounts.get(id) ?? 0) + 1;
    this.problemCounts.set(id, count);
    // The first of a kind is reported in full; repeats only at powers of ten, so a bad feed cannot flood.
    if (count === 1 || Number.isInteger(Math.log10(count))) {
      this.emit({ type: 'problem', kind: p.kind, detail: p.detail, service: p.service, count });
    }
  }

  private onClientEvent(e: StreamerEvent): void {
    switch (e.type) {
      case 'state':
        this.emit({ type: 'status', status: this.status() });
        break;
      case 'connected':
        this.emit({ type: 'connection', event: 'connected', detail: describeConnected(e, this.opts.provider.dialect) });
        break;
      case 'disconnected':
        this.emit({ type: 'connection', event: 'disconnected', detail: e.reason });
        break;
      case 'subscription-error':
        this.emit({ ...e });
        break;
      case 'notice':
        this.emit({ type: 'notice', service: e.service, code: e.code, message: e.message });
        break;
      case 'login-recovered':
        this.emit({ type: 'notice', service: 'ADMIN', code: e.code, message: `login denied (${e.message}), then accepted after refreshing the access token` });
        break;
      case 'fatal':
        this.loginRequired = e.loginRequired;
        this.emit({ type: 'fatal', message: e.message, loginRequired: e.loginRequired });
        break;
    }
  }
}

/**
 * What a connect line says: where, as whom, and the server's LOGIN answer in words
 * ("connected to wss://… as 1a2b… (Schwab server s0635dc6-1, status NP)", "… (TD server 02-1)").
 */
export function describeConnected(e: { url: string; account: string | null; serverMessage: string; reconnect: boolean }, dialect: string): string {
  // Schwab's customer id is a 64-digit hash: its first characters tell accounts apart.
  const who = e.account && e.account.length > 16 ? `${e.account.slice(0, 12)}…` : e.account;
  const as = who ? ` as ${who}` : '';
  return `${e.reconnect ? 'reconnected' : 'connected'} to ${e.url}${as} (${describeServer(e.serverMessage, dialect)})`;
}

function describeServer(msg: string, dialect: string): string {
  if (dialect === 'tdameritrade') return msg ? `TD server ${msg}` : 'TD server';
  // Schwab answers "server=s0635dc6-1;status=NP" (docs/protocol/schwab.md §3.3).
  const parts = new Map(msg.split(';').map((p) => p.split('=', 2) as [string, string?]).map(([k, v]) => [k.trim(), v?.trim() ?? '']));
  const server = parts.get('server');
  if (!server) return msg ? `Schwab server: ${msg}` : 'Schwab server';
  const status = parts.get('status');
  return `Schwab server ${server}${status ? `, status ${status}` : ''}`;
}
