/**
 * The app's host: a few small services composed into the command/event contract of shared/api.ts.
 * Plain Node: it runs in the Electron app's ingest worker and in `tapedeck serve` alike; the
 * platform supplies what differs (where secrets are kept, how an export path is chosen, how the
 * login page is shown). Arguments reach it already parsed at the door (IPC or serve bridge).
 */
import { join } from 'node:path';
import type { AboutInfo, AppSnapshot, CommandArg, CommandName, CommandResult, Handlers } from '../../../shared/api.js';
import type { FaultSpec } from '../sim/index.js';
import { FileLock } from '../sqlite/file-lock.js';
import { sqliteVersion } from '../sqlite/open-database.js';
import { AlertService } from './alert-service.js';
import { fileDocuments, type DocumentStore } from './document-store.js';
import { EngineSupervisor } from './engine-supervisor.js';
import { EventBus, type HostListener } from './event-bus.js';
import { ExportService, type ChooseExportTarget } from './export-service.js';
import { LoginService, type OpenLogin } from './login-service.js';
import { MarketDetailService } from './market-detail-service.js';
import type { SecretStore } from './secrets.js';
import { SettingsService } from './settings-service.js';
import { planSubscriptions } from './subscription-planner.js';
import { WatchlistService } from './watchlist-service.js';

export interface HostPlatform {
  userDataPath: string;
  secrets: SecretStore;
  versions: Record<string, string>;
  appVersion: string;
  chooseExportTarget: ChooseExportTarget;
  /** Electron shows the broker's page in an app window; without it login answers with a browser URL. */
  openLogin?: OpenLogin;
  /** Demo simulator options (tests and benchmarks turn the rate up). */
  demo?: { rate?: number; barMs?: number; seed?: number; faults?: FaultSpec[] };
  /** Settings and watchlists documents; the user-data folder unless a test gives memory. */
  documents?: DocumentStore;
  /** The recorder's clock, for tests that cross midnight into the next daily file (default Date.now). */
  now?: () => number;
}

/** Each provider's ticks go into a database of their own, so switching from Demo to Schwab switches files. */
export function databasePathOf(userDataPath: string, provider: string): string {
  return join(userDataPath, `tapedeck-${provider}.db`);
}

/** Held while a host runs: one app or `serve` per user-data folder (settings, secrets and databases are its alone). */
function lockUserData(userDataPath: string): FileLock {
  const lock = FileLock.tryAcquire(join(userDataPath, 'tapedeck.lock'));
  if (!lock) throw new Error(`${userDataPath} is in use by another Tapedeck (the app or 'tapedeck serve'); one at a time per user-data folder`);
  return lock;
}

export class Host {
  private readonly handlers: Handlers;

  private constructor(
    private readonly platform: HostPlatform,
    private readonly bus: EventBus,
    private readonly settings: SettingsService,
    private readonly watchlists: WatchlistService,
    private readonly detail: MarketDetailService,
    private readonly supervisor: EngineSupervisor,
    readonly login: LoginService,
    exports: ExportService,
    alerts: AlertService,
    private readonly lock: FileLock,
  ) {
    this.handlers = {
      'app:snapshot': async () => this.snapshot(),
      'app:about': async () => this.about(),
      ...settings.handlers,
      ...watchlists.handlers,
      ...detail.handlers,
      ...supervisor.handlers,
      ...login.handlers,
      ...exports.handlers,
      ...alerts.handlers,
    };
  }

  static async create(platform: HostPlatform): Promise<Host> {
    const lock = lockUserData(platform.userDataPath);
    try {
      return await Host.compose(platform, lock);
    } catch (err) {
      lock.release();
      throw err;
    }
  }

  private static async compose(platform: HostPlatform, lock: FileLock): Promise<Host> {
    const bus = new EventBus();
    const docs = platform.documents ?? fileDocuments(platform.userDataPath);
    const settings = await SettingsService.create(docs, platform.secrets, bus, (provider) => databasePathOf(platform.userDataPath, provider));
    const watchlists = new WatchlistService(docs, bus, () => settings.dialect);
    // The supervisor is made next; history is asked of it only once a window focuses a symbol.
    let supervisor: EngineSupervisor | null = null;
    const detail = new MarketDetailService(bus, (symbol, interval) => supervisor?.priceHistory(symbol, interval) ?? Promise.resolve(null));
    const alerts = new AlertService(docs, bus, () => settings.dialect);
    supervisor = new EngineSupervisor(settings, bus, {
      demo: platform.demo,
      now: platform.now,
      // Alerted symbols stream too, whether or not a watchlist shows them.
      plan: () => planSubscriptions({ symbols: [...new Set([...watchlists.symbols(), ...alerts.symbols()])], focus: detail.focusedSymbol, dialect: settings.dialect }),
      onEngine: (engine) => {
        detail.reset();
        engine.onUpdate(detail.observe);
        alerts.attach(engine);
      },
    });
    const login = new LoginService(settings, bus, () => supervisor.restart(), platform.openLogin);
    const exports = new ExportService(() => settings.currentDbPath, platform.chooseExportTarget, bus);

    watchlists.onChange(() => supervisor.reconcile());
    alerts.onChange(() => supervisor.reconcile());
    detail.onFocusChange(() => supervisor.reconcile());
    settings.onChange(async (change) => {
      // A new storage policy takes effect with a new recorder: the restart closes the old one first.
      if (change.providerChanged || change.activeBrokerChanged || change.storageChanged) await supervisor.restart();
      // The sink alone: the recording goes on. Not awaited: a sink stopping drains for a moment first.
      else if (change.sinkChanged) void supervisor.followSink();
    });
    const host = new Host(platform, bus, settings, watchlists, detail, supervisor, login, exports, alerts, lock);
    await supervisor.restart();
    return host;
  }

  /** Events from every service; what was said before the first listener is delivered to it. */
  on(listener: HostListener): () => void {
    return this.bus.on(listener);
  }

  invoke<K extends CommandName>(name: K, arg: CommandArg<K>): Promise<CommandResult<K>> {
    return (this.handlers[name] as (a: CommandArg<K>) => Promise<CommandResult<K>>)(arg);
  }

  async close(): Promise<void> {
    this.detail.close();
    await this.supervisor.close();
    this.lock.release();
  }

  private snapshot(): AppSnapshot {
    return {
      status: this.supervisor.status(),
      settings: this.settings.view(),
      watchlists: this.watchlists.all(),
      quotes: this.supervisor.quotes(),
    };
  }

  private about(): AboutInfo {
    return {
      name: 'Tapedeck',
      version: this.platform.appVersion,
      versions: { ...this.platform.versions, sqlite: sqliteVersion() },
      dbPath: this.settings.currentDbPath,
      userDataPath: this.platform.userDataPath,
    };
  }
}
