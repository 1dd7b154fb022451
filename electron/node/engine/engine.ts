/**
 * The ingest engine: provider → streamer client → codec → recorder + merged state + publisher.
 * Runs under plain Node (CLI, browser mode, tests) and inside the app's ingest worker alike.
 */
import type { EngineEvent, EngineStatus, QuoteRecord } from '../../../shared/engine-events.js';
import type { DecodedFrame, FieldValue, MarketUpdate } from '../../../shared/market.js';
import { serviceSpec } from '../../../shared/protocol/services.js';
import { safeText } from '../../../shared/safe-text.js';
import { decodeFrame, decodeOutcome } from '../codec/decode-frame.js';
import type { MarketDataClient } from '../provider/market-data-types.js';
import type { StreamerProvider } from '../provider/types.js';
import type { AlertRow, PriceHistoryRow } from '../recorder/write-batch.js';
import { QuoteState } from '../state/quote-state.js';
import type { SocketFrame } from '../streamer/connection.js';
import type { StreamerEvent } from '../streamer/streamer-events.js';
import { StreamerClient, type StreamerClientOptions } from '../streamer/streamer-client.js';
import { ProblemLog, type ProblemInput } from './problem-log.js';
import { QuotePublisher } from './publisher.js';
import { RateMeter } from './rate-meter.js';

/** What the engine needs from a recorder (electron/node/recorder satisfies it). */
export interface RecordSink {
  /** Logs a connection (its `sessions` row) under the streamer client's id for it. */
  beginConnection(info: { connectionId: number; provider: string; dialect: string; url: string; startedAt?: number }): void;
  endConnection(connectionId: number, reason: string, endedAt?: number): void;
  /** Archives a frame exactly as received, before it is decoded. */
  archive(frame: { connectionId: number; receivedAt: number; text: string; bytes: Uint8Array | null; binary: boolean }): void;
  /**
   * What the frame archived last decoded to, in the same tick. `merged`: the merged record each
   * update produced, in order (the recorder's latest rows come from them).
   */
  decoded(result: { receivedAt: number; updates: readonly MarketUpdate[]; merged: readonly QuoteRecord[]; repairedText: boolean; notDecoded: boolean }): void;
  stats(): { rows: number; dbBytes: number };
  /** Candles from the provider's REST price history (a recorder without the table leaves this out). */
  recordPriceHistory?(rows: readonly PriceHistoryRow[]): void;
  /** An alert firing (the `alerts` table), stored with the frame being processed. */
  alert?(row: AlertRecord): void;
  /**
   * Recording paused or resumed by the user while the file stays open, so the connection's
   * `sessions` row goes on; the recorder notes the gap (connectionId null: between connections).
   */
  notePause?(connectionId: number | null, paused: boolean, at: number): void;
  /** Commits what is left; a recorder with a writer thread finishes asynchronously. */
  close(): void | Promise<void>;
}

/** An alert firing as the recorder stores it: its `alerts` row, less the frame (the recorder knows which). */
export type AlertRecord = Omit<AlertRow, 'frameIdx'>;

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
  client?: Partial<Omit<StreamerClientOptions, 'provider' | 'onFrame' | 'onEvent' | 'connectionLog'>>;
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
  /** The user paused recording: the recorder stays open (and its sessions rows with it) but is given nothing. */
  private recordingPaused = false;
  /** The live connection, as the streamer client numbered it; null between connections. */
  private live: { connectionId: number; url: string } | null = null;
  private counters = { updates: 0, frames: 0 };
  private lastFrameAt: number | null = null;
  private readonly problems: ProblemLog;
  private loginRequired = false;

  constructor(private readonly opts: EngineOptions) {
    const provider = opts.provider;
    this.recorder = opts.recorder ?? null;
    this.quotes = new QuoteState(provider.dialect);
    this.publisher = new QuotePublisher(opts.publishIntervalMs ?? 16, (batch) =>
      this.emit({ type: 'quotes', ...batch }),
    );
    this.problems = new ProblemLog((p) => this.emit({ type: 'problem', ...p }), {
      isKnownService: (service) => serviceSpec(provider.dialect, service) !== undefined,
    });
    this.client = new StreamerClient({
      ...opts.client,
      provider,
      onFrame: (frame) => this.onFrame(frame),
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
    const safe = safeEvent(event);
    for (const l of this.listeners) l(safe);
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
    this.problems.stop();
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

  /** The provider's REST market data, if it has any. */
  get marketData(): MarketDataClient | null {
    return this.opts.provider.marketData ?? null;
  }

  /**
   * A REST quote for a (service, key): fills only the fields the stream has not, so a newer
   * streamed value is never overwritten by an older snapshot, and publishes what it filled.
   */
  applySnapshot(service: string, key: string, fields: Record<string, FieldValue>, ts: number): void {
    const record = this.quotes.fillMissing(service, key, fields, ts, Date.now());
    if (record && this.opts.publishQuotes !== false) this.publisher.offer(record.record, record.filled, record.record.receivedAt);
  }

  /** Records REST candles when recording (ignored otherwise). */
  recordPriceHistory(rows: readonly PriceHistoryRow[]): void {
    try {
      this.activeRecorder?.recordPriceHistory?.(rows);
    } catch (err) {
      this.reportProblem({ kind: 'recorder', detail: `price history could not be recorded: ${messageOf(err)}` });
    }
  }

  /**
   * Stores an alert firing through the recorder, if recording. Called from an update listener, it
   * lands in the same batch as the frame that carried the update, and points at it.
   */
  recordAlert(row: AlertRecord): void {
    try {
      this.activeRecorder?.alert?.(row);
    } catch (err) {
      this.reportProblem({ kind: 'recorder', detail: `an alert could not be stored: ${messageOf(err)}` });
    }
  }

  /** Whether a recorder is open, recording or paused. */
  get hasRecorder(): boolean {
    return this.recorder !== null;
  }

  /** Pauses or resumes recording without closing the file or ending the connection's sessions row. */
  pauseRecording(paused: boolean, at = Date.now()): void {
    if (paused === this.recordingPaused) return;
    this.recordingPaused = paused;
    try {
      this.recorder?.notePause?.(this.live?.connectionId ?? null, paused, at);
    } catch (err) {
      this.reportProblem({ kind: 'recorder', detail: `the pause could not be noted: ${messageOf(err)}` });
    }
  }

  private get activeRecorder(): RecordSink | null {
    return this.recordingPaused ? null : this.recorder;
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
    const connection = this.client.connection;
    return {
      provider: this.opts.provider.name,
      dialect: this.opts.provider.dialect,
      simulated: this.opts.provider.simulated,
      ...connection,
      detail: connection.detail === null ? null : safeText(connection.detail),
      updates: this.counters.updates,
      updatesPerSec: this.meter.perSecond(),
      frames: this.counters.frames,
      problems: this.problems.total,
      reconnects: this.client.reconnectCount,
      recording: this.activeRecorder !== null,
      rows: rec?.rows ?? 0,
      dbBytes: rec?.dbBytes ?? 0,
      lastFrameAt: this.lastFrameAt,
      loginRequired: this.loginRequired,
    };
  }

  /** Problems reported so far by kind (malformed-json, unknown-field…), the services added up. */
  problemsByKind(): Record<string, number> {
    return this.problems.byKind();
  }

  /**
   * One frame from the socket. The archive comes first: the frame is handed to the recorder as
   * received, before it is decoded; then it is decoded, merged and its rows recorded. Whatever a
   * frame holds, nothing here throws (a throw would end the socket handler, or the process): every
   * failure is counted and reported. Returns what the frame decoded to (its responses and notices
   * go back to the connection), or null.
   */
  private onFrame(frame: SocketFrame & { connectionId: number }): DecodedFrame | null {
    const { connectionId, receivedAt } = frame;
    this.publisher.flushIfDue(receivedAt);
    this.counters.frames++;
    this.lastFrameAt = receivedAt;
    // Frames that arrive while no connection is logged (never, in practice) have no sessions row to belong to.
    let recorder = this.live ? this.activeRecorder : null;
    if (recorder) {
      try {
        recorder.archive({ connectionId, receivedAt, text: frame.text, bytes: frame.bytes, binary: frame.binary });
      } catch (err) {
        this.reportProblem({ kind: 'recorder', detail: `a frame could not be archived: ${messageOf(err)}` });
        recorder = null;
      }
    }
    if (frame.binary) {
      this.reportProblem({ kind: 'binary-frame', detail: `a binary frame of ${(frame.bytes?.byteLength ?? 0).toLocaleString('en-US')} bytes` });
      return null;
    }
    if (frame.bytes) this.reportProblem({ kind: 'invalid-utf8', detail: 'a text frame that is not valid UTF-8 (archived as bytes; decoded with U+FFFD)' });
    let decoded: DecodedFrame | null = null;
    try {
      decoded = decodeFrame(frame.text, this.opts.provider.dialect);
      const updates = decoded.updates;
      this.counters.updates += updates.length;
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
      // After the merge, so the recorder takes its latest rows from the merged records instead of
      // merging again. A frame that decoded to nothing (malformed, unknown service) is archived already.
      recorder?.decoded({ receivedAt, updates, merged, ...decodeOutcome(decoded) });
    } catch (err) {
      this.reportProblem({ kind: 'frame-failed', detail: `a frame could not be processed (archived): ${messageOf(err)}` });
    }
    for (const p of decoded?.problems ?? []) this.reportProblem(p);
    return decoded;
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

  /** Counted always; reported within the problem log's bounds (first, powers of ten, then a periodic summary). */
  private reportProblem(p: ProblemInput): void {
    this.problems.report(p);
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

const messageOf = (err: unknown): string => (err instanceof Error ? err.message : String(err));

/**
 * The event with every text a server can influence escaped and cut (shared/safe-text.ts), so the
 * CLI, logs and windows never show raw server text. Quotes are data, not text to print: unchanged.
 */
function safeEvent(e: EngineEvent): EngineEvent {
  switch (e.type) {
    case 'quotes':
    case 'status':
      return e;
    case 'problem':
      return { ...e, kind: safeText(e.kind, 64), detail: safeText(e.detail), ...(e.service === undefined ? {} : { service: safeText(e.service, 64) }) };
    case 'subscription-error':
      return { ...e, service: safeText(e.service, 64), command: safeText(e.command, 64), message: safeText(e.message) };
    case 'notice':
      return { ...e, service: safeText(e.service, 64), message: safeText(e.message) };
    case 'connection':
      return { ...e, detail: safeText(e.detail) };
    case 'fatal':
      return { ...e, message: safeText(e.message) };
  }
}
