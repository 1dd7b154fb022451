/**
 * Non-secret settings (provider, callback, endpoint overrides, recording) as a validated document.
 * App keys, secrets and tokens are not here: they live in the platform's secret store.
 */
import type { ProviderName } from '../../../shared/api.js';
import { TIME_ZONE_SETTINGS, type TimeZoneSetting } from '../../../shared/time-zone.js';
import { DEFAULT_ENDPOINTS } from '../auth/endpoints.js';

export interface BrokerSettings {
  callbackUrl: string;
  apiBase: string;
  authBase: string;
}

export interface Settings {
  provider: ProviderName;
  schwab: BrokerSettings;
  tdameritrade: BrokerSettings;
  recording: boolean;
  /** Times shown in exchange time (New York) unless the user asks for the local zone. */
  timeZone: TimeZoneSetting;
}

export function defaultSettings(): Settings {
  return {
    provider: 'demo',
    schwab: { callbackUrl: 'https://127.0.0.1:8182', ...DEFAULT_ENDPOINTS.schwab },
    tdameritrade: { callbackUrl: 'http://127.0.0.1:8182', ...DEFAULT_ENDPOINTS.tdameritrade },
    recording: true,
    timeZone: 'exchange',
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
    timeZone: TIME_ZONE_SETTINGS.find((z) => z === raw.timeZone) ?? d.timeZone,
  };
}
