/**
 * The app's host: settings, watchlists, secrets, the engine's lifecycle, detail series, login and
 * exports, behind the command/event contract of shared/api.ts. Plain Node: it runs in the Electron
 * app's ingest worker and in `tapedeck serve` alike; the platform supplies what differs (where
 * secrets are kept, how an export path is chosen, how the login page is shown).
 */
import { existsSync, statSync } from 'node:fs';
import { join } from 'node:path';
import type {
  AboutInfo, AppSnapshot, CommandArg, CommandName, CommandResult, Events, EventName, ExportResult, LoginStart,
  SettingsPatch, SettingsView, SymbolDetail, Watchlist,
} from '../../../shared/api.js';
import type { EngineStatus, QuoteRecord } from '../../../shared/engine-events.js';
import type { Dialect } from '../../../shared/protocol/services.js';
import { buildAuthorizeUrl, codeFromRedirect, newOAuthState } from '../auth/oauth-flow.js';
import { exchangeCode } from '../auth/token-endpoint.js';
import { Engine } from '../engine/engine.js';
import { createProvider, type ProviderConfig } from '../provider/create-provider.js';
import { exportCsv, exportDatabase } from '../recorder/export.js';
import { listTables } from '../recorder/frames.js';
import { Recorder } from '../recorder/recorder.js';
import { readJsonFile, writeJsonFile } from './json-file.js';
import { MarketDetail } from './market-detail.js';
import { messageFor } from './messages.js';
import { maskSecret, type BrokerSecrets, type SecretStore, type Secrets } from './secrets.js';
import { checkUrl, settingsFrom, type Settings } from './settings.js';
import { detailTargets, levelOneTargets, movers } from './subscription-targets.js';
import { validateWatchlists, watchlistsFrom } from './watchlists.js';

export interface HostPlatform {
  userDataPath: string;
  secrets: SecretStore;
  versions: Record<string, string>;
  appVersion: string;
  /**
   * Where an export goes: Electron asks with a save dialog (null: cancelled); browser mode picks a
   * file behind a download URL. `location` is what the user is told: the path or the URL.
   */
  chooseExportTarget(suggestedName: string): Promise<{ path: string; location: string } | null>;
  /** Shows the broker's page and resolves with the URL it redirected to the callback (null: closed). */
  openLogin?(authorizeUrl: string, callbackUrl: string): Promise<string | null>;
  /** Demo simulator options (tests and benchmarks turn the rate up). */
  demo?: { rate?: number; barMs?: number; seed?: number };
}

type Listener = <K extends EventName>(name: K, payload: Events[K]) => void;
type Handlers = { [K in CommandName]: (arg: CommandArg<K>) => Promise<CommandResult<K>> };

interface PendingLogin {
  dialect: Dialect;
  state: string;
  callbackUrl: string;
}

export class HostCore {
  private settings: Settings;
  private watchlists: Watchlist[];
  private activeWatchlistId: string;
  private secrets: Secrets = {};
  private engine: Engine | null = null;
  private engineStarting: Promise<void> | null = null;
  private focus: string | null = null;
  private readonly detail = new MarketDetail();
  private pendingLogin: PendingLogin | null = null;
  private idleStatus: EngineStatus;
  private readonly listeners = new Set<Listener>();
  private readonly dbPath: string;
  private readonly settingsPath: string;
  private readonly watchlistsPath: string;

  private constructor(private readonly platform: HostPlatform) {
    this.dbPath = join(platform.userDataPath, 'tapedeck.db');
    this.settingsPath = join(platform.userDataPath, 'settings.json');
    this.watchlistsPath = join(platform.userDataPath, 'watchlists.json');
    const problem = (text: string) => this.message('warning', text);
    this.settings = settingsFrom(readJsonFile(this.settingsPath, problem));
    const stored = readJsonFile(this.watchlistsPath, problem) as { watchlists?: unknown; activeWatchlistId?: unknown } | undefined;
    this.watchlists = watchlistsFrom(stored?.watchlists, this.dialect);
    const active = stored?.activeWatchlistId;
    this.activeWatchlistId = typeof active === 'string' && this.watchlists.some((w) => w.id === active) ? active : this.watchlists[0]!.id;
    this.idleStatus = this.blankStatus('idle', null);
  }

  static async create(platform: HostPlatform): Promise<HostCore> {
    const host = new HostCore(platform);
    host.secrets = await platform.secrets.load();
    if (!platform.secrets.persistent) {
      host.message('warning', 'This system cannot encrypt saved credentials: app secrets and tokens are kept in memory only and you will need to log in again after a restart.');
    }
    await host.restartEngine();
    return host;
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  private emit<K extends EventName>(name: K, payload: Events[K]): void {
    for (const l of this.listeners) l(name, payload);
  }

  private message(level: 'info' | 'warning' | 'error', text: string): void {
    this.emit('engine:message', { level, text, at: Date.now() });
  }

  private get dialect(): Dialect {
    return this.settings.provider === 'tdameritrade' ? 'tdameritrade' : 'schwab';
  }

  // ---- commands ----

  private readonly handlers: Handlers = {
    'app:snapshot': async () => this.snapshot(),
    'app:about': async () => this.about(),
    'watchlists:save': async (arg) => this.saveWatchlists(arg.watchlists, arg.activeWatchlistId),
    'market:focus': async (arg) => this.setFocus(arg.symbol),
    'settings:get': async () => this.settingsView(),
    'settings:save': async (arg) => this.saveSettings(arg),
    'auth:login': async () => this.login(),
    'auth:logout': async () => this.logout(),
    'recording:set': async (arg) => this.setRecording(arg.on),
    'export:database': async () => this.exportDatabase(),
    'export:csv': async (arg) => this.exportCsv(arg),
    'db:tables': async () => (existsSync(this.dbPath) ? listTables(this.dbPath) : []),
  };

  invoke<K extends CommandName>(name: K, arg: CommandArg<K>): Promise<CommandResult<K>> {
    const handler = this.handlers[name] as ((a: CommandArg<K>) => Promise<CommandResult<K>>) | undefined;
    if (!handler) return Promise.reject(new Error(`unknown command ${String(name)}`));
    return handler(arg);
  }

  private snapshot(): AppSnapshot {
    const quotes: QuoteRecord[] = [];
    const state = this.engine?.quotes;
    if (state) {
      for (const service of state.services()) {
        for (const key of state.keys(service)) {
          const r = state.get(service, key);
          if (r) quotes.push(r as QuoteRecord);
        }
      }
    }
    return {
      status: this.status(),
      settings: this.settingsView(),
      watchlists: structuredClone(this.watchlists),
      activeWatchlistId: this.activeWatchlistId,
      quotes,
    };
  }

  private about(): AboutInfo {
    return {
      name: 'Tapedeck',
      version: this.platform.appVersion,
      versions: this.platform.versions,
      dbPath: this.dbPath,
      userDataPath: this.platform.userDataPath,
    };
  }

  status(): EngineStatus {
    const s = this.engine?.status() ?? this.idleStatus;
    if (!this.engine && this.settings.recording && existsSync(this.dbPath)) s.dbBytes = statSync(this.dbPath).size;
    return s;
  }

  private blankStatus(connection: EngineStatus['connection'], detail: string | null): EngineStatus {
    return {
      provider: this.settings.provider,
      dialect: this.dialect,
      simulated: this.settings.provider === 'demo',
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
    };
  }

  private settingsView(): SettingsView {
    const broker = (d: Dialect) => {
      const s = this.secrets[d];
      return {
        appKeyMasked: maskSecret(s?.appKey ?? ''),
        hasAppSecret: Boolean(s?.appSecret),
        callbackUrl: this.settings[d].callbackUrl,
        apiBase: this.settings[d].apiBase,
        authBase: this.settings[d].authBase,
        loggedIn: Boolean(s?.tokens),
        refreshExpiresAt: s?.tokens?.refresh_expires_at || null,
      };
    };
    return {
      provider: this.settings.provider,
      schwab: broker('schwab'),
      tdameritrade: broker('tdameritrade'),
      recording: this.settings.recording,
      dbPath: this.dbPath,
      secureStorage: this.platform.secrets.persistent,
    };
  }

  private async saveSettings(patch: SettingsPatch): Promise<SettingsView> {
    const next = structuredClone(this.settings);
    const secrets = structuredClone(this.secrets);
    if (patch.provider !== undefined) {
      if (patch.provider !== 'demo' && patch.provider !== 'schwab' && patch.provider !== 'tdameritrade') throw new Error('unknown provider');
      next.provider = patch.provider;
    }
    for (const d of ['schwab', 'tdameritrade'] as const) {
      const p = patch[d];
      if (!p) continue;
      if (p.callbackUrl !== undefined) next[d].callbackUrl = checkUrl(p.callbackUrl, 'callback URL');
      if (p.apiBase !== undefined) next[d].apiBase = checkUrl(p.apiBase, 'API base URL');
      if (p.authBase !== undefined) next[d].authBase = checkUrl(p.authBase, 'authorize base URL');
      const current: BrokerSecrets = secrets[d] ?? { appKey: '', appSecret: '', tokens: null };
      const changedApp = (p.appKey !== undefined && p.appKey !== current.appKey) || (p.appSecret !== undefined && p.appSecret !== current.appSecret);
      if (p.appKey !== undefined) current.appKey = String(p.appKey).trim().slice(0, 256);
      if (p.appSecret !== undefined) current.appSecret = String(p.appSecret).trim().slice(0, 256);
      // Tokens belong to the app (and endpoints) they were issued for.
      if (changedApp || p.apiBase !== undefined || p.authBase !== undefined) current.tokens = null;
      secrets[d] = current;
    }
    const providerChanged = next.provider !== this.settings.provider;
    this.settings = next;
    this.secrets = secrets;
    writeJsonFile(this.settingsPath, this.settings);
    await this.platform.secrets.save(this.secrets);
    const view = this.settingsView();
    this.emit('settings:changed', view);
    if (providerChanged || patch[this.dialect] !== undefined) await this.restartEngine();
    return view;
  }

  private async saveWatchlists(raw: Watchlist[], activeId: string): Promise<Watchlist[]> {
    const lists = validateWatchlists(raw, this.dialect);
    if (typeof activeId !== 'string' || !lists.some((w) => w.id === activeId)) throw new Error('the active watchlist must be one of the lists');
    this.watchlists = lists;
    this.activeWatchlistId = activeId;
    writeJsonFile(this.watchlistsPath, { watchlists: lists, activeWatchlistId: activeId });
    this.syncSubscriptions();
    return structuredClone(lists);
  }

  private async setFocus(symbol: string | null): Promise<SymbolDetail | null> {
    if (symbol !== null && (typeof symbol !== 'string' || symbol.length > 32)) throw new Error('invalid symbol');
    this.focus = symbol;
    this.syncSubscriptions();
    return symbol ? this.detail.detail(symbol) : null;
  }

  private async setRecording(on: boolean): Promise<EngineStatus> {
    if (typeof on !== 'boolean') throw new Error('recording must be on or off');
    this.settings.recording = on;
    writeJsonFile(this.settingsPath, this.settings);
    const engine = this.engine;
    if (engine) {
      const recorder = on ? await this.openRecorder() : null;
      // The engine may have been restarted while the file opened; the new one records per the settings.
      if (this.engine === engine) engine.setRecorder(recorder);
      else await recorder?.close();
    } else this.idleStatus = this.blankStatus(this.idleStatus.connection, this.idleStatus.detail);
    const status = this.status();
    this.emit('engine:status', status);
    return status;
  }

  private openRecorder(): Promise<Recorder<Promise<void>>> {
    // Commit failures (disk full, file locked) pause recording; the batch is retried, and the user told.
    return Recorder.openThreaded(this.dbPath, { onError: (err) => this.message('error', `Recording: ${err.message}`) });
  }

  // ---- engine lifecycle ----

  async restartEngine(): Promise<void> {
    const previous = this.engineStarting;
    this.engineStarting = (async () => {
      await previous?.catch(() => undefined);
      await this.stopEngine();
      await this.startEngine();
    })();
    return this.engineStarting;
  }

  private async stopEngine(): Promise<void> {
    const engine = this.engine;
    this.engine = null;
    this.detail.clear();
    if (engine) await engine.stop();
  }

  private providerConfig(): ProviderConfig | string {
    const provider = this.settings.provider;
    if (provider === 'demo') return { provider: 'demo', barMs: 5000, rate: 200, ...this.platform.demo };
    const s = this.secrets[provider];
    const label = provider === 'schwab' ? 'Schwab' : 'TD Ameritrade';
    if (!s?.appKey) return `Enter your ${label} app key in Settings, then log in.`;
    if (!s.tokens) return `Log in to ${label} to start streaming.`;
    return {
      provider,
      apiBase: this.settings[provider].apiBase,
      tokens: s.tokens,
      app: { appKey: s.appKey, appSecret: s.appSecret },
      persist: (tokens) => {
        const current = this.secrets[provider];
        if (current) current.tokens = tokens;
        void this.platform.secrets.save(this.secrets);
      },
      onTokenError: (err) => this.message('warning', `Token refresh failed: ${err.message}`),
    };
  }

  private async startEngine(): Promise<void> {
    const config = this.providerConfig();
    if (typeof config === 'string') {
      this.idleStatus = this.blankStatus('idle', config);
      this.emit('engine:status', this.idleStatus);
      return;
    }
    let recorder: Recorder<Promise<void>> | null = null;
    try {
      recorder = this.settings.recording ? await this.openRecorder() : null;
      const provider = await createProvider(config);
      // Coalescing well inside a display frame keeps update-to-paint latency low.
      const engine = new Engine({ provider, recorder, publishIntervalMs: 8 });
      this.engine = engine;
      engine.on((e) => {
        if (this.engine !== engine) return;
        if (e.type === 'quotes') this.emit('engine:quotes', { records: e.records, publishedAt: e.publishedAt, oldestReceivedAt: e.oldestReceivedAt });
        else if (e.type === 'status') this.emit('engine:status', e.status);
        else {
          const m = messageFor(e);
          if (m) this.emit('engine:message', m);
          if (e.type === 'fatal' || e.type === 'connection') this.emit('engine:status', engine.status());
        }
      });
      engine.onUpdate((update, merged) => {
        const symbol = this.detail.observe(update, merged);
        if (symbol !== null && symbol === this.focus) this.scheduleDetail(symbol);
      });
      this.syncSubscriptions();
      engine.start();
      // Rates, rows and database size change continuously: the status bar gets them every second.
      const ticker = setInterval(() => {
        if (this.engine === engine) this.emit('engine:status', engine.status());
        else clearInterval(ticker);
      }, 1000);
      ticker.unref();
    } catch (err) {
      await recorder?.close().catch(() => undefined);
      this.idleStatus = this.blankStatus('failed', (err as Error).message);
      this.emit('engine:status', this.idleStatus);
      this.message('error', `Could not start streaming: ${(err as Error).message}`);
    }
  }

  private detailTimer: NodeJS.Timeout | null = null;

  /** Detail pushes are coalesced like quotes: at most one per ~50 ms. */
  private scheduleDetail(symbol: string): void {
    if (this.detailTimer) return;
    this.detailTimer = setTimeout(() => {
      this.detailTimer = null;
      if (this.focus === symbol) this.emit('market:detail', this.detail.detail(symbol));
    }, 50);
    this.detailTimer.unref();
  }

  /** Brings the engine's subscriptions in line with the watchlists, the movers panel and the focus. */
  private syncSubscriptions(): void {
    const engine = this.engine;
    if (!engine) return;
    const wanted = levelOneTargets(this.watchlists, this.dialect);
    const m = movers(this.dialect);
    wanted.set(m.service, new Set(m.keys));
    if (this.focus) for (const d of detailTargets(this.focus, this.dialect)) wanted.set(d.service, new Set([...(wanted.get(d.service) ?? []), ...d.keys]));
    const current = new Map(engine.subscriptions().map((s) => [s.service, new Set(s.keys)]));
    for (const [service, keys] of current) {
      const keep = wanted.get(service) ?? new Set<string>();
      const drop = [...keys].filter((k) => !keep.has(k));
      if (drop.length > 0) engine.unsubscribe(service, drop);
    }
    for (const [service, keys] of wanted) {
      const have = current.get(service) ?? new Set<string>();
      const add = [...keys].filter((k) => !have.has(k));
      if (add.length > 0) engine.subscribe(service, add);
    }
  }

  // ---- login ----

  /** The authorize URL for the selected broker, with a fresh state remembered for the redirect. */
  beginLogin(): { authorizeUrl: string; callbackUrl: string } {
    const d = this.settings.provider;
    if (d === 'demo') throw new Error('The demo needs no login');
    const app = this.secrets[d];
    if (!app?.appKey) throw new Error('Enter the app key in Settings first');
    if (d === 'schwab' && !app.appSecret) throw new Error('Enter the app secret in Settings first');
    const state = newOAuthState();
    const callbackUrl = this.settings[d].callbackUrl;
    this.pendingLogin = { dialect: d, state, callbackUrl };
    return {
      authorizeUrl: buildAuthorizeUrl({ dialect: d, authBase: this.settings[d].authBase, appKey: app.appKey, redirectUri: callbackUrl, state }),
      callbackUrl,
    };
  }

  /** Checks the redirect's state, exchanges the code and starts streaming with the new tokens. */
  async completeLogin(redirectedUrl: string): Promise<void> {
    const pending = this.pendingLogin;
    if (!pending) throw new Error('No login is in progress');
    this.pendingLogin = null;
    const code = codeFromRedirect(redirectedUrl, pending.state, pending.callbackUrl);
    const app = this.secrets[pending.dialect];
    if (!app) throw new Error('The app key disappeared during the login');
    const tokens = await exchangeCode(
      { dialect: pending.dialect, apiBase: this.settings[pending.dialect].apiBase, app: { appKey: app.appKey, appSecret: app.appSecret } },
      code,
      pending.callbackUrl,
    );
    app.tokens = tokens;
    await this.platform.secrets.save(this.secrets);
    this.emit('settings:changed', this.settingsView());
    this.message('info', `Logged in to ${pending.dialect === 'schwab' ? 'Schwab' : 'TD Ameritrade'}.`);
    await this.restartEngine();
  }

  private async login(): Promise<LoginStart> {
    if (this.settings.provider === 'demo') return { kind: 'none', reason: 'The demo needs no login.' };
    const { authorizeUrl, callbackUrl } = this.beginLogin();
    if (!this.platform.openLogin) return { kind: 'browser', url: authorizeUrl };
    const open = this.platform.openLogin;
    // The window runs on its own; the result arrives as messages and a settings change.
    void open(authorizeUrl, callbackUrl).then(
      async (redirected) => {
        if (redirected === null) {
          this.pendingLogin = null;
          this.message('info', 'Login window closed.');
          return;
        }
        await this.completeLogin(redirected);
      },
    ).catch((err: Error) => this.message('error', `Login failed: ${err.message}`));
    return { kind: 'window' };
  }

  private async logout(): Promise<SettingsView> {
    const d = this.settings.provider;
    if (d !== 'demo' && this.secrets[d]) {
      this.secrets[d]!.tokens = null;
      await this.platform.secrets.save(this.secrets);
      if (this.settings.provider === d) await this.restartEngine();
    }
    const view = this.settingsView();
    this.emit('settings:changed', view);
    return view;
  }

  // ---- exports ----

  private async exportDatabase(): Promise<ExportResult> {
    if (!existsSync(this.dbPath)) return { ok: false, location: null, message: 'Nothing has been recorded yet.' };
    const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
    const target = await this.platform.chooseExportTarget(`tapedeck-${stamp}.db`);
    if (!target) return { ok: false, location: null, message: 'Export cancelled.' };
    this.emit('export:progress', { fraction: 0, done: false });
    await exportDatabase(this.dbPath, target.path, (p) => {
      if (p.totalPages > 0) this.emit('export:progress', { fraction: (p.totalPages - p.remainingPages) / p.totalPages, done: false });
    });
    this.emit('export:progress', { fraction: 1, done: true });
    return { ok: true, location: target.location, message: `Exported the database to ${target.location}` };
  }

  private async exportCsv(req: CommandArg<'export:csv'>): Promise<ExportResult> {
    if (!existsSync(this.dbPath)) return { ok: false, location: null, message: 'Nothing has been recorded yet.' };
    if (typeof req?.table !== 'string' || !/^[a-z0-9_]{1,64}$/.test(req.table)) throw new Error('choose a table to export');
    const bound = (v: unknown, what: string) => {
      if (v === undefined || v === null) return undefined;
      if (typeof v !== 'number' || !Number.isFinite(v)) throw new Error(`${what} must be a time`);
      return v;
    };
    const from = bound(req.from, 'from');
    const to = bound(req.to, 'to');
    const key = req.key === undefined || req.key === '' ? undefined : String(req.key).slice(0, 32);
    const target = await this.platform.chooseExportTarget(`${req.table}${key ? `-${key.replace(/[^\w]/g, '_')}` : ''}.csv`);
    if (!target) return { ok: false, location: null, message: 'Export cancelled.' };
    const { rows } = await exportCsv(this.dbPath, { table: req.table, out: target.path, from, to, key });
    return { ok: true, location: target.location, rows, message: `Exported ${rows} rows of ${req.table}` };
  }

  async close(): Promise<void> {
    if (this.detailTimer) clearTimeout(this.detailTimer);
    await this.engineStarting?.catch(() => undefined);
    await this.stopEngine();
  }
}
