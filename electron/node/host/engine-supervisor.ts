/**
 * The engine's lifecycle for the app: starts streaming for the selected provider (or says what is
 * missing), restarts it when settings change, opens and closes the recorder, keeps subscriptions
 * in line with the plan, runs the PostgreSQL sink beside the recorder (app-sink.ts), and reports
 * status — every second while streaming, since rates, rows and the database size change continuously.
 */
import { existsSync } from 'node:fs';
import type { Handlers } from '../../../shared/api.js';
import type { EngineStatus, QuoteRecord } from '../../../shared/engine-events.js';
import type { ChartInterval } from '../../../shared/chart-interval.js';
import type { MarketSession } from '../../../shared/market-session.js';
import type { Candle } from '../../../shared/market.js';
import { Engine } from '../engine/engine.js';
import { createProvider, type ProviderConfig } from '../provider/create-provider.js';
import { dbBytes } from '../recorder/db-size.js';
import { countFileRows } from '../recorder/file-rows.js';
import { ManagedRecorder } from '../recorder/managed-recorder.js';
import { AppSink } from './app-sink.js';
import type { EventBus } from './event-bus.js';
import { messageFor } from './messages.js';
import { brokerLabel, type SettingsService } from './settings-service.js';
import { MarketSessionTracker } from './market-session.js';
import { fillFromSnapshot } from './quote-snapshot.js';
import { diffSubscriptions, type SubscriptionSet } from './subscription-planner.js';
import type { FaultSpec } from '../sim/index.js';

export interface SupervisorOptions {
  /** Demo simulator options (tests and benchmarks turn the rate up). */
  demo?: { rate?: number; barMs?: number; seed?: number; faults?: FaultSpec[] };
  /** What the app should be subscribed to now (the planner's answer). */
  plan: () => SubscriptionSet;
  /** Told of every engine the supervisor starts (detail series attach to it). */
  onEngine: (engine: Engine) => void;
  /** The recorder's clock: which day's file it writes (tests move it past midnight). */
  now?: () => number;
}

/** Coalescing well inside a display frame keeps update-to-paint latency low. */
const PUBLISH_INTERVAL_MS = 8;
const STATUS_INTERVAL_MS = 1000;
/** How long before the saved login ends the user is warned. */
const LOGIN_WARNING_MS = 24 * 3600_000;

export class EngineSupervisor {
  private engine: Engine | null = null;
  /** Rows the database file held when the recorder opened it. */
  private rowsAtOpen = 0;
  private restarting: Promise<void> | null = null;
  private idle: EngineStatus;
  private ticker: NodeJS.Timeout | null = null;
  private loginWarning: NodeJS.Timeout | null = null;
  private session: MarketSessionTracker | null = null;
  /** The recorder the engine writes to, while one is open. */
  private recorder: ManagedRecorder | null = null;
  private readonly sink: AppSink;

  constructor(
    private readonly settings: SettingsService,
    private readonly bus: EventBus,
    private readonly opts: SupervisorOptions,
  ) {
    this.idle = this.blankStatus('idle', null);
    this.sink = new AppSink({ onChange: () => this.bus.emit('engine:status', this.status()), message: (level, text) => this.bus.message(level, text) });
  }

  readonly handlers: Pick<Handlers, 'recording:set'> = {
    'recording:set': async ({ on }) => this.setRecording(on),
  };

  /** Stops what runs and starts streaming per the current settings; calls are serialised. */
  restart(): Promise<void> {
    const previous = this.restarting;
    this.restarting = (async () => {
      await previous?.catch(() => undefined);
      await this.stop();
      await this.start();
    })();
    return this.restarting;
  }

  /** Brings the engine's subscriptions in line with the plan. */
  reconcile(): void {
    const engine = this.engine;
    if (!engine) return;
    const current: SubscriptionSet = new Map(engine.subscriptions().map((s) => [s.service, new Set(s.keys)]));
    const diff = diffSubscriptions(current, this.opts.plan());
    for (const u of diff.unsubscribe) engine.unsubscribe(u.service, u.keys);
    for (const s of diff.subscribe) engine.subscribe(s.service, s.keys);
    // New rows are filled from a REST quotes snapshot meanwhile; streaming does not wait for it.
    if (diff.subscribe.length > 0) {
      fillFromSnapshot(engine, this.settings.dialect, diff.subscribe).catch((err: Error) => {
        if (this.engine === engine) this.bus.message('warning', `Quote snapshot failed (rows fill as updates stream): ${err.message}`);
      });
    }
  }

  /**
   * The focused chart's history from the provider's REST price history, recorded (price_history,
   * source 'rest') when recording; null when no engine or provider can answer.
   */
  async priceHistory(symbol: string, interval: ChartInterval): Promise<Candle[] | null> {
    const engine = this.engine;
    const client = engine?.marketData;
    if (!engine || !client) return null;
    const candles = await client.priceHistory(symbol, interval);
    const fetchedAt = Date.now();
    engine.recordPriceHistory(candles.map((c) => [symbol, interval, c.time, c.open, c.high, c.low, c.close, c.volume, 'rest', fetchedAt]));
    return candles;
  }

  /**
   * Points the PostgreSQL sink at the file being recorded into, per the settings: none while
   * recording is off or paused. Resolves once the sink has started or stopped.
   */
  followSink(): Promise<void> {
    const recorder = this.recorder;
    const path = recorder && this.settings.recording ? recorder.path : null;
    // A new daily file is shipped once it has taken over and the old one is closed, so the old one's last rows go first.
    return (recorder?.settled() ?? Promise.resolve()).then(() => this.sink.follow(this.recorder === recorder ? path : null, this.settings.sinkTarget));
  }

  status(): EngineStatus {
    if (this.engine) return this.withSession(this.engine.status());
    const s = { ...this.idle, recording: this.settings.recording, sink: this.sink.status() };
    const db = this.settings.currentDbPath;
    if (existsSync(db)) s.dbBytes = dbBytes(db);
    return s;
  }

  /** Every merged record, for a window's first paint. */
  quotes(): QuoteRecord[] {
    const state = this.engine?.quotes;
    const out: QuoteRecord[] = [];
    if (!state) return out;
    for (const service of state.services()) {
      for (const key of state.keys(service)) {
        const r = state.get(service, key);
        if (r) out.push(r as QuoteRecord);
      }
    }
    return out;
  }

  async close(): Promise<void> {
    await this.restarting?.catch(() => undefined);
    await this.stop();
    await this.sink.close();
  }

  /**
   * Pausing keeps the file open and the connection's sessions row going (the pause is noted in
   * `recording_pauses`); only a recorder that was not open yet is opened here.
   */
  private async setRecording(on: boolean): Promise<EngineStatus> {
    this.settings.setRecording(on);
    const engine = this.engine;
    if (engine?.hasRecorder) engine.pauseRecording(!on);
    else if (engine && on) {
      const recorder = await this.openRecorder();
      // The engine may have been restarted while the file opened; the new one records per the settings.
      if (this.engine === engine) {
        engine.setRecorder(recorder);
        this.recorder = recorder;
      } else await recorder.close();
    }
    // Not awaited: a sink stopping drains for a moment, and the toggle answers at once.
    void this.followSink();
    const status = this.status();
    this.bus.emit('engine:status', status);
    return status;
  }

  private openRecorder(): Promise<ManagedRecorder> {
    try {
      this.rowsAtOpen = countFileRows(this.settings.currentDbPath);
    } catch {
      this.rowsAtOpen = 0; // Not a database: opening it as one says why, below.
    }
    // Commit failures (disk full, file locked) pause recording; the batch is retried, and the user told.
    return ManagedRecorder.open({
      path: this.settings.dbPath,
      policy: this.settings.storage,
      now: this.opts.now,
      onError: (err) => this.bus.message('error', `Recording: ${err.message}`),
      // A pause for disk space stays on screen until dismissed; rotation and retention fade.
      onNotice: (line) => this.bus.message(/^recording paused/.test(line) ? 'warning' : 'info', `Recording: ${line}`),
    });
  }

  private providerConfig(): ProviderConfig | string {
    const provider = this.settings.provider;
    if (provider === 'demo') return { provider: 'demo', barMs: 5000, rate: 200, ...this.opts.demo };
    const { endpoints, secrets } = this.settings.broker(provider);
    const label = brokerLabel(provider);
    if (!secrets?.appKey) return `Enter your ${label} app key in Settings, then log in.`;
    if (!secrets.tokens) return `Log in to ${label} to start streaming.`;
    return {
      provider,
      apiBase: endpoints.apiBase,
      tokens: secrets.tokens,
      app: { appKey: secrets.appKey, appSecret: secrets.appSecret },
      persist: (tokens) => void this.settings.setTokens(provider, tokens),
      onTokenError: (err) => this.bus.message('warning', `Token refresh failed: ${err.message}`),
    };
  }

  private async start(): Promise<void> {
    const config = this.providerConfig();
    if (typeof config === 'string') {
      this.idle = this.blankStatus('idle', config);
      this.bus.emit('engine:status', this.status());
      return;
    }
    let recorder: ManagedRecorder | null = null;
    try {
      // Open even when recording is off: the status shows the file, and turning recording on is instant.
      recorder = await this.openRecorder();
      const provider = await createProvider(config);
      const engine = new Engine({ provider, recorder, publishIntervalMs: PUBLISH_INTERVAL_MS });
      if (!this.settings.recording) engine.pauseRecording(true);
      this.engine = engine;
      this.recorder = recorder;
      engine.on((e) => {
        if (this.engine !== engine) return;
        if (e.type === 'quotes') this.bus.emit('engine:quotes', { records: e.records, publishedAt: e.publishedAt, oldestReceivedAt: e.oldestReceivedAt });
        else if (e.type === 'status') this.bus.emit('engine:status', this.withSession(e.status));
        else {
          const m = messageFor(e);
          if (m) this.bus.emit('engine:message', m);
          if (e.type === 'fatal' && e.loginRequired && config.provider !== 'demo') {
            // The saved login is dead: forget it, so Settings and the next launch say "log in".
            void this.settings.setTokens(config.provider, null);
          }
          if (e.type === 'fatal' || e.type === 'connection') this.bus.emit('engine:status', this.withSession(engine.status()));
        }
      });
      this.opts.onEngine(engine);
      this.reconcile();
      engine.start();
      if (config.provider !== 'demo') this.warnBeforeLoginExpires(config.provider, config.tokens.refresh_expires_at);
      this.ticker = setInterval(() => this.tick(engine), STATUS_INTERVAL_MS);
      this.ticker.unref();
      this.trackSession(engine);
      void this.followSink();
    } catch (err) {
      await recorder?.close().catch(() => undefined);
      this.idle = this.blankStatus('failed', (err as Error).message);
      this.bus.emit('engine:status', this.status());
      this.bus.message('error', `Could not start streaming: ${(err as Error).message}`);
    }
  }

  /** Every second while streaming: the sink follows a new daily file and counts what is behind; the status goes out. */
  private tick(engine: Engine): void {
    const recorder = this.recorder;
    if (recorder && this.settings.recording && this.settings.sinkTarget && this.sink.file !== null && this.sink.file !== recorder.path) void this.followSink();
    this.sink.refreshBehind();
    this.bus.emit('engine:status', this.withSession(engine.status()));
  }

  /**
   * Schwab's refresh token ends 7 days after the browser login and is not extended
   * (docs/protocol/schwab.md §1.3): say so a day ahead, so the trader logs in before it stops.
   */
  private warnBeforeLoginExpires(broker: 'schwab' | 'tdameritrade', expiresAt: number): void {
    if (!expiresAt) return;
    const warn = () =>
      this.bus.message('warning', `Your ${brokerLabel(broker)} login ends ${new Date(expiresAt).toLocaleString('en-US')}: log in again (Settings → Log in) before then to keep streaming.`);
    const until = expiresAt - LOGIN_WARNING_MS - Date.now();
    if (until <= 0) warn();
    else if (until < 2 ** 31 - 1) {
      this.loginWarning = setTimeout(warn, until);
      this.loginWarning.unref();
    }
  }

  /** The market session from the provider's hours, pushed in the status event whenever it changes. */
  private trackSession(engine: Engine): void {
    const client = engine.marketData;
    if (!client) return;
    const tracker = new MarketSessionTracker(
      client,
      () => {
        if (this.engine === engine) this.bus.emit('engine:status', this.status());
      },
      (message) => {
        if (this.engine === engine) this.bus.message('warning', message);
      },
    );
    this.session = tracker;
    void tracker.start();
  }

  /** What a window is shown: the market session, and the database file's rows (not only this run's). */
  private withSession(status: EngineStatus): EngineStatus {
    const session: MarketSession | undefined = this.session?.current;
    const rows = this.engine?.hasRecorder ? this.rowsAtOpen + status.rows : status.rows;
    const shown = { ...status, rows, sink: this.sink.status() };
    return session === undefined ? shown : { ...shown, marketSession: session };
  }

  private async stop(): Promise<void> {
    this.session?.stop();
    this.session = null;
    if (this.ticker) clearInterval(this.ticker);
    this.ticker = null;
    if (this.loginWarning) clearTimeout(this.loginWarning);
    this.loginWarning = null;
    const engine = this.engine;
    this.engine = null;
    this.recorder = null;
    this.idle = this.blankStatus('idle', null);
    if (engine) await engine.stop();
    // After the recorder closed, so its last commit is shipped too (within the drain).
    await this.followSink();
  }

  private blankStatus(connection: EngineStatus['connection'], detail: string | null): EngineStatus {
    const provider = this.settings.provider;
    return {
      provider,
      dialect: this.settings.dialect,
      simulated: provider === 'demo',
      connection,
      detail,
      retryAt: null,
      updates: 0,
      updatesPerSec: 0,
      frames: 0,
      problems: 0,
      reconnects: 0,
      recording: this.settings.recording,
      rows: 0,
      dbBytes: 0,
      lastFrameAt: null,
      loginRequired: false,
    };
  }
}
