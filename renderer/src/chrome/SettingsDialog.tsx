/**
 * Provider, app credentials (never shown back in full), callback and endpoint overrides; log in and
 * out; recording: from launch, daily files, retention, the free-space minimum, shipping to PostgreSQL.
 */
import { useState, type FormEvent } from 'react';
import type { BrokerSettingsPatch, ProviderName, SettingsView } from '../../../shared/api.js';
import type { StorageSettings } from '../../../shared/api-values.js';
import type { TimeZoneSetting } from '../../../shared/time-zone.js';
import { attempt } from '../api/instance.js';
import { appStore, pushMessage, useApp } from '../store/app.js';
import { startLogin as login } from './login.js';
import { Modal } from './Modal.js';
import { SinkSettings } from './SinkSettings.js';
import { TimeZoneField } from './TimeZoneField.js';

const LABEL: Record<ProviderName, string> = { demo: 'Demo (simulated)', schwab: 'Schwab', tdameritrade: 'TD Ameritrade (legacy)' };

export function SettingsDialog() {
  const settings = useApp((s) => s.settings);
  // The form starts from the host's settings: opened before they arrived (right after a start or a
  // reload), it would start from defaults (the demo provider among them) and Save would write those.
  return settings ? <SettingsForm settings={settings} /> : null;
}

function SettingsForm({ settings }: { settings: SettingsView }) {
  const [provider, setProvider] = useState<ProviderName>(settings.provider);
  const broker = provider === 'demo' ? null : settings[provider];
  const [form, setForm] = useState<Required<BrokerSettingsPatch>>({ appKey: '', appSecret: '', callbackUrl: broker?.callbackUrl ?? '', apiBase: broker?.apiBase ?? '', authBase: broker?.authBase ?? '' });
  const [caFile, setCaFile] = useState(settings.caFile);
  const [storage, setStorage] = useState<StorageSettings>(settings.storage);
  const [busy, setBusy] = useState(false);
  const [timeZone, setTimeZone] = useState<TimeZoneSetting>(settings.timeZone);

  // The same setting as the status bar's recording toggle: applied at once, remembered for the next launch.
  const setRecording = async (on: boolean) => {
    const status = await attempt('recording:set', { on });
    if (status) appStore.setState({ settings: { ...settings, recording: status.recording }, status });
  };

  const pick = (p: ProviderName) => {
    setProvider(p);
    const b = p === 'demo' ? null : settings[p];
    setForm({ appKey: '', appSecret: '', callbackUrl: b?.callbackUrl ?? '', apiBase: b?.apiBase ?? '', authBase: b?.authBase ?? '' });
  };

  const save = async (e?: FormEvent): Promise<SettingsView | null> => {
    e?.preventDefault();
    setBusy(true);
    const patch: BrokerSettingsPatch = { callbackUrl: form.callbackUrl, apiBase: form.apiBase, authBase: form.authBase };
    if (form.appKey) patch.appKey = form.appKey;
    if (form.appSecret) patch.appSecret = form.appSecret;
    const view = await attempt('settings:save', provider === 'demo' ? { provider, caFile, storage, timeZone } : { provider, caFile, storage, timeZone, [provider]: patch });
    setBusy(false);
    if (view) {
      appStore.setState({ settings: view });
      setForm((f) => ({ ...f, appKey: '', appSecret: '' }));
      pushMessage({ level: 'info', text: 'Settings saved.', at: Date.now() });
    }
    return view;
  };

  const logout = async () => {
    const view = await attempt('auth:logout', null);
    if (view) appStore.setState({ settings: view });
  };

  const field = (key: keyof BrokerSettingsPatch, label: string, opts: { type?: string; placeholder?: string } = {}) => (
    <label className="field">
      <span>{label}</span>
      <input type={opts.type ?? 'text'} value={form[key]} placeholder={opts.placeholder} autoComplete="off" spellCheck={false} onChange={(e) => setForm({ ...form, [key]: e.target.value })} />
    </label>
  );

  return (
    <Modal title="Settings">
      <form onSubmit={(e) => void save(e)} className="settings">
        <label className="field">
          <span>Provider</span>
          <select value={provider} onChange={(e) => pick(e.target.value as ProviderName)}>
            {(['demo', 'schwab', 'tdameritrade'] as const).map((p) => (
              <option key={p} value={p}>{LABEL[p]}</option>
            ))}
          </select>
        </label>
        <TimeZoneField value={timeZone} onChange={setTimeZone} />
        {settings.secretStorage === 'memory' ? <p className="warn">This system cannot encrypt saved credentials: secrets and tokens are kept in memory only.</p> : null}
        {settings.secretStorage === 'file' ? <p className="warn">Browser mode has no OS keychain: saved credentials are in a file only your user can read (0600), not encrypted.</p> : null}
        {broker ? (
          <>
            {field('appKey', 'App key', { placeholder: broker.appKeyMasked ? `saved: ${broker.appKeyMasked}` : 'from the developer portal' })}
            {field('appSecret', 'App secret', { type: 'password', placeholder: broker.hasAppSecret ? 'secret saved (type to replace)' : 'from the developer portal' })}
            {field('callbackUrl', 'Callback URL')}
            <details>
              <summary>Advanced: endpoints</summary>
              {field('apiBase', 'API base URL')}
              {field('authBase', 'Authorize base URL')}
              <label className="field">
                <span>Extra certificate authority (PEM file)</span>
                <input type="text" value={caFile} placeholder="none: the system's authorities only" autoComplete="off" spellCheck={false} onChange={(e) => setCaFile(e.target.value)} />
              </label>
            </details>
            <p className="muted">
              {broker.loggedIn ? `Logged in${broker.refreshExpiresAt ? ` — log in again before ${new Date(broker.refreshExpiresAt).toLocaleString()}` : ''}.` : 'Not logged in.'}
            </p>
          </>
        ) : (
          <p className="muted">The demo streams simulated data from the built-in simulator; no account is needed.</p>
        )}
        <fieldset className="recording">
          <legend>Recording</legend>
          <label className="check">
            <input type="checkbox" checked={settings.recording} onChange={(e) => void setRecording(e.target.checked)} />
            <span>Record from launch</span>
          </label>
          <label className="field">
            <span>Files</span>
            <select value={storage.rotate} onChange={(e) => setStorage({ ...storage, rotate: e.target.value === 'daily' ? 'daily' : 'none' })}>
              <option value="none">One file</option>
              <option value="daily">A file per trading day (New York)</option>
            </select>
          </label>
          <label className="field">
            <span>Keep data for (days; empty keeps everything)</span>
            <input
              type="number"
              min={1}
              step={1}
              value={storage.retainDays ?? ''}
              onChange={(e) => setStorage({ ...storage, retainDays: e.target.value === '' ? null : Math.max(1, Math.round(Number(e.target.value))) })}
            />
          </label>
          <label className="field">
            <span>Pause recording below this much free disk space (MB; 0 never pauses)</span>
            <input type="number" min={0} step={1} value={storage.minFreeMb} onChange={(e) => setStorage({ ...storage, minFreeMb: Math.max(0, Math.round(Number(e.target.value) || 0)) })} />
          </label>
          <label className="check">
            <input type="checkbox" checked={!storage.typedRows} onChange={(e) => setStorage({ ...storage, typedRows: !e.target.checked })} />
            <span>Frames only: no typed row per update (about a quarter of the size; <code>tapedeck replay --out</code> rebuilds the tables)</span>
          </label>
          <p className="muted">Database: {settings.dbPath}</p>
          <SinkSettings settings={settings} />
        </fieldset>
        <div className="buttons">
          <button type="submit" disabled={busy}>Save</button>
          {broker ? (
            <>
              <button type="button" onClick={() => void save().then((v) => v && login())}>Log in</button>
              <button type="button" onClick={() => void logout()} disabled={!broker.loggedIn}>Log out</button>
            </>
          ) : null}
          <button type="button" onClick={() => appStore.setState({ dialog: null })}>Close</button>
        </div>
      </form>
    </Modal>
  );
}
