/**
 * Settings and broker credentials: the non-secret settings document, the secrets in the platform's
 * store, and the view of both that a window may see (secrets masked or reduced to "present").
 */
import type { BrokerSettingsPatch, Handlers, SettingsPatch, SettingsView } from '../../../shared/api.js';
import type { Dialect } from '../../../shared/protocol/services.js';
import type { TokenSet } from '../auth/tokens.js';
import type { DocumentStore } from './document-store.js';
import type { EventBus } from './event-bus.js';
import { trustCaFile } from '../net/tls-trust.js';
import { maskSecret, type BrokerSecrets, type SecretStore, type Secrets } from './secrets.js';
import { dailyPath, tradingDay } from '../recorder/trading-day.js';
import { parsePgUrl, PgUrlError, type PgTarget } from '../sink/pg-url.js';
import { checkUrl, settingsFrom, type Settings } from './settings.js';

const DOCUMENT = 'settings';
export type Broker = Dialect;
export const BROKERS: readonly Broker[] = ['schwab', 'tdameritrade'];
export const brokerLabel = (b: Broker) => (b === 'schwab' ? 'Schwab' : 'TD Ameritrade');

/** What changed in a save, so the host restarts streaming only when it must. */
export interface SettingsChange {
  providerChanged: boolean;
  /** The selected broker's app, credentials or endpoints changed. */
  activeBrokerChanged: boolean;
  /** Rotation, retention or the free-space minimum changed: the recorder reopens with them. */
  storageChanged: boolean;
  /** The PostgreSQL sink was switched or pointed elsewhere: it restarts, the recording does not. */
  sinkChanged: boolean;
}

export class SettingsService {
  private settings: Settings;
  private secrets: Secrets = {};
  private readonly changeListeners = new Set<(change: SettingsChange) => void | Promise<void>>();

  private constructor(
    private readonly docs: DocumentStore,
    private readonly store: SecretStore,
    private readonly bus: EventBus,
    private readonly dbPathOf: (provider: Settings['provider']) => string,
  ) {
    this.settings = settingsFrom(docs.read(DOCUMENT, (text) => bus.message('warning', text)));
    try {
      trustCaFile(this.settings.caFile);
    } catch (err) {
      bus.message('warning', `The extra certificate authority in Settings is not used: ${(err as Error).message}`);
    }
  }

  static async create(docs: DocumentStore, store: SecretStore, bus: EventBus, dbPathOf: (provider: Settings['provider']) => string): Promise<SettingsService> {
    const service = new SettingsService(docs, store, bus, dbPathOf);
    service.secrets = await store.load();
    if (store.protection === 'memory') {
      bus.message('warning', 'This system cannot encrypt saved credentials: app secrets and tokens are kept in memory only and you will need to log in again after a restart.');
    }
    return service;
  }

  readonly handlers: Pick<Handlers, 'settings:get' | 'settings:save'> = {
    'settings:get': async () => this.view(),
    'settings:save': async (patch) => this.save(patch),
  };

  get provider(): Settings['provider'] {
    return this.settings.provider;
  }

  /** The dialect the selected provider speaks (the demo speaks Schwab's). */
  get dialect(): Dialect {
    return this.settings.provider === 'tdameritrade' ? 'tdameritrade' : 'schwab';
  }

  get recording(): boolean {
    return this.settings.recording;
  }

  get storage(): Settings['storage'] {
    return this.settings.storage;
  }

  /** The database as configured: with daily files, the name the dated files are made from. */
  get dbPath(): string {
    return this.dbPathOf(this.settings.provider);
  }

  /** The file being recorded into today: what exports copy and the status bar measures. */
  get currentDbPath(): string {
    return this.settings.storage.rotate === 'daily' ? dailyPath(this.dbPath, tradingDay(Date.now())) : this.dbPath;
  }

  /** Where the recording is shipped: null when the sink is off or no (valid) URL is saved. */
  get sinkTarget(): PgTarget | null {
    return this.settings.sink.enabled ? savedSinkTarget(this.secrets) : null;
  }

  broker(b: Broker): { endpoints: Settings[Broker]; secrets: BrokerSecrets | undefined } {
    return { endpoints: this.settings[b], secrets: this.secrets[b] };
  }

  onChange(listener: (change: SettingsChange) => void | Promise<void>): void {
    this.changeListeners.add(listener);
  }

  setRecording(on: boolean): void {
    this.settings.recording = on;
    this.docs.write(DOCUMENT, this.settings);
  }

  async setTokens(b: Broker, tokens: TokenSet | null): Promise<void> {
    const current = this.secrets[b];
    if (!current) return;
    current.tokens = tokens;
    await this.store.save(this.secrets);
    this.bus.emit('settings:changed', this.view());
  }

  view(): SettingsView {
    const broker = (b: Broker) => {
      const s = this.secrets[b];
      return {
        appKeyMasked: maskSecret(s?.appKey ?? ''),
        hasAppSecret: Boolean(s?.appSecret),
        callbackUrl: this.settings[b].callbackUrl,
        apiBase: this.settings[b].apiBase,
        authBase: this.settings[b].authBase,
        loggedIn: Boolean(s?.tokens),
        refreshExpiresAt: s?.tokens?.refresh_expires_at || null,
      };
    };
    return {
      provider: this.settings.provider,
      schwab: broker('schwab'),
      tdameritrade: broker('tdameritrade'),
      recording: this.settings.recording,
      dbPath: this.currentDbPath,
      storage: { ...this.settings.storage },
      secretStorage: this.store.protection,
      caFile: this.settings.caFile,
      timeZone: this.settings.timeZone,
      sink: { enabled: this.settings.sink.enabled, url: savedSinkTarget(this.secrets)?.display ?? '' },
    };
  }

  private async save(patch: SettingsPatch): Promise<SettingsView> {
    const next = structuredClone(this.settings);
    const secrets = structuredClone(this.secrets);
    if (patch.provider !== undefined) next.provider = patch.provider;
    if (patch.storage !== undefined) next.storage = { ...patch.storage };
    const storageChanged = JSON.stringify(next.storage) !== JSON.stringify(this.settings.storage);
    if (patch.timeZone !== undefined) next.timeZone = patch.timeZone;
    let activeBrokerChanged = false;
    if (patch.caFile !== undefined && patch.caFile !== next.caFile) {
      // Checked before anything is saved: a file that cannot be read is refused with its reason.
      trustCaFile(patch.caFile);
      next.caFile = patch.caFile;
      activeBrokerChanged = next.provider !== 'demo';
    }
    // Checked before anything is saved: a URL pg-url.ts refuses is refused with its reason.
    if (patch.sink?.url !== undefined) {
      if (patch.sink.url === '') delete secrets.sink;
      else secrets.sink = { url: checkSinkUrl(patch.sink.url).connectionString };
    }
    if (patch.sink?.enabled !== undefined) next.sink = { enabled: patch.sink.enabled };
    const sinkChanged = next.sink.enabled !== this.settings.sink.enabled || secrets.sink?.url !== this.secrets.sink?.url;
    const cleared: Broker[] = [];
    for (const b of BROKERS) {
      const p = patch[b];
      if (!p) continue;
      const before = secrets[b] ?? { appKey: '', appSecret: '', tokens: null };
      const after = applyBrokerPatch(next[b], before, p);
      // Cleared by a moved endpoint rather than by the user: they must be asked for it again.
      if (before.appSecret && !after.appSecret && p.appSecret === undefined) cleared.push(b);
      secrets[b] = after;
      if (b === (next.provider === 'demo' ? null : next.provider)) activeBrokerChanged = true;
    }
    const change: SettingsChange = { providerChanged: next.provider !== this.settings.provider, activeBrokerChanged, storageChanged, sinkChanged };
    this.settings = next;
    this.secrets = secrets;
    this.docs.write(DOCUMENT, this.settings);
    await this.store.save(this.secrets);
    const view = this.view();
    this.bus.emit('settings:changed', view);
    for (const b of cleared) {
      this.bus.message(
        'warning',
        `${brokerLabel(b)}'s API or authorize address changed, so its app secret and login were cleared and will not be sent to the new address. Enter the app secret again in Settings, then log in.`,
      );
    }
    for (const l of this.changeListeners) await l(change);
    return view;
  }
}

/**
 * Applies one broker's patch to its endpoints (in place) and returns its new secrets. Credentials
 * belong to the endpoints they were entered for: a changed endpoint clears the app secret and the
 * tokens, so they are never sent to a host they were not meant for.
 */
function applyBrokerPatch(endpoints: Settings[Broker], current: BrokerSecrets, p: BrokerSettingsPatch): BrokerSecrets {
  const next = { ...current };
  if (p.callbackUrl !== undefined) endpoints.callbackUrl = checkUrl(p.callbackUrl, 'callback URL');
  const apiBase = p.apiBase === undefined ? endpoints.apiBase : checkUrl(p.apiBase, 'API base URL');
  const authBase = p.authBase === undefined ? endpoints.authBase : checkUrl(p.authBase, 'authorize base URL');
  const movedEndpoints = apiBase !== endpoints.apiBase || authBase !== endpoints.authBase;
  endpoints.apiBase = apiBase;
  endpoints.authBase = authBase;
  if (movedEndpoints) {
    next.appSecret = '';
    next.tokens = null;
  }
  const changedApp = (p.appKey !== undefined && p.appKey !== current.appKey) || (p.appSecret !== undefined && p.appSecret !== current.appSecret);
  if (p.appKey !== undefined) next.appKey = p.appKey;
  if (p.appSecret !== undefined) next.appSecret = p.appSecret;
  // Tokens belong to the app they were issued to.
  if (changedApp) next.tokens = null;
  return next;
}

/** The saved sink URL as a target; a stored value that no longer parses counts as none. */
function savedSinkTarget(secrets: Secrets): PgTarget | null {
  const url = secrets.sink?.url;
  if (typeof url !== 'string' || url === '') return null;
  try {
    return parsePgUrl(url);
  } catch {
    return null;
  }
}

function checkSinkUrl(url: string): PgTarget {
  try {
    return parsePgUrl(url);
  } catch (err) {
    // pg-url.ts's messages show the URL with its password masked.
    if (err instanceof PgUrlError) throw new Error(`PostgreSQL URL: ${err.message}`);
    throw err;
  }
}
