/**
 * Non-secret settings (provider, callback, endpoint overrides, recording) as a validated document.
 * App keys, secrets, tokens and the PostgreSQL URL are not here: they live in the platform's secret store.
 */
import type { ProviderName } from '../../../shared/api.js';
import { TIME_ZONE_SETTINGS, type TimeZoneSetting } from '../../../shared/time-zone.js';
import { DEFAULT_ENDPOINTS } from '../auth/endpoints.js';
import { defaultStoragePolicy, type StoragePolicy } from '../recorder/storage-policy.js';

export interface BrokerSettings {
  callbackUrl: string;
  apiBase: string;
  authBase: string;
}

export interface Settings {
  provider: ProviderName;
  schwab: BrokerSettings;
  tdameritrade: BrokerSettings;
  /** Record from launch (the status bar's toggle is this setting). */
  recording: boolean;
  /** Extra certificate authorities (PEM file path), '' for none: docs/tls.md. */
  caFile: string;
  storage: StoragePolicy;
  /** Times shown in exchange time (New York) unless the user asks for the local zone. */
  timeZone: TimeZoneSetting;
  /** Ship the recording to PostgreSQL (its URL, a secret, is in the secret store). */
  sink: { enabled: boolean };
}

export function defaultSettings(): Settings {
  return {
    provider: 'demo',
    schwab: { callbackUrl: 'https://127.0.0.1:8182', ...DEFAULT_ENDPOINTS.schwab },
    tdameritrade: { callbackUrl: 'http://127.0.0.1:8182', ...DEFAULT_ENDPOINTS.tdameritrade },
    recording: true,
    caFile: '',
    storage: defaultStoragePolicy(),
    timeZone: 'exchange',
    sink: { enabled: false },
  };
}

/** A stored storage policy, each part kept only when valid. */
function storageFrom(raw: unknown, d: StoragePolicy): StoragePolicy {
  if (!isRecord(raw)) return d;
  const wholeAtLeast = (v: unknown, min: number): v is number => typeof v === 'number' && Number.isInteger(v) && v >= min;
  return {
    rotate: raw.rotate === 'daily' || raw.rotate === 'none' ? raw.rotate : d.rotate,
    retainDays: raw.retainDays === null || wholeAtLeast(raw.retainDays, 1) ? raw.retainDays : d.retainDays,
    minFreeMb: wholeAtLeast(raw.minFreeMb, 0) ? raw.minFreeMb : d.minFreeMb,
    typedRows: typeof raw.typedRows === 'boolean' ? raw.typedRows : d.typedRows,
  };
}

function isRecord(v: unknown): v is Record<string, unknown> {
  return typeof v === 'object' && v !== null && !Array.isArray(v);
}

/** A URL the user typed: http(s) only, no credentials, no fragment. */
export function checkUrl(value: unknown, what: string): string {
  if (typeof value !== 'string' || value.length > 2048) throw new Error(`${what} must be a URL`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new Error(`${what} '${value}' is not a URL`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') throw new Error(`${what} must start with http:// or https://`);
  if (url.username || url.password || url.hash) throw new Error(`${what} must not contain credentials or a #fragment`);
  return value.replace(/\/+$/, '') === `${url.protocol}//${url.host}` ? `${url.protocol}//${url.host}` : value;
}

function brokerFrom(raw: unknown, fallback: BrokerSettings): BrokerSettings {
  if (!isRecord(raw)) return fallback;
  const pick = (key: keyof BrokerSettings) => {
    try {
      return checkUrl(raw[key], key);
    } catch {
      return fallback[key];
    }
  };
  return { callbackUrl: pick('callbackUrl'), apiBase: pick('apiBase'), authBase: pick('authBase') };
}

/** Reads a stored settings document, keeping defaults for anything missing or invalid. */
export function settingsFrom(raw: unknown): Settings {
  const d = defaultSettings();
  if (!isRecord(raw)) return d;
  const provider = raw.provider === 'schwab' || raw.provider === 'tdameritrade' || raw.provider === 'demo' ? raw.provider : d.provider;
  return {
    provider,
    schwab: brokerFrom(raw.schwab, d.schwab),
    tdameritrade: brokerFrom(raw.tdameritrade, d.tdameritrade),
    recording: typeof raw.recording === 'boolean' ? raw.recording : d.recording,
    caFile: typeof raw.caFile === 'string' && raw.caFile.length <= 4096 ? raw.caFile : d.caFile,
    storage: storageFrom(raw.storage, d.storage),
    timeZone: TIME_ZONE_SETTINGS.find((z) => z === raw.timeZone) ?? d.timeZone,
    sink: { enabled: isRecord(raw.sink) && typeof raw.sink.enabled === 'boolean' ? raw.sink.enabled : d.sink.enabled },
  };
}
