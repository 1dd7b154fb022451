/** Provider, app credentials (never shown back in full), callback and endpoint overrides; log in and out. */
import { useState, type FormEvent } from 'react';
import type { BrokerSettingsPatch, ProviderName, SettingsView } from '../../../shared/api.js';
import type { TimeZoneSetting } from '../../../shared/time-zone.js';
import { attempt } from '../api/instance.js';
import { appStore, pushMessage, useApp } from '../store/app.js';
import { startLogin as login } from './login.js';
import { Modal } from './Modal.js';
import { TimeZoneField } from './TimeZoneField.js';

const LABEL: Record<ProviderName, string> = { demo: 'Demo (simulated)', schwab: 'Schwab', tdameritrade: 'TD Ameritrade (legacy)' };

export function SettingsDialog() {
  const settings = useApp((s) => s.settings);
  const [provider, setProvider] = useState<ProviderName>(settings?.provider ?? 'demo');
  const broker = provider === 'demo' ? null : settings?.[provider];
  const [form, setForm] = useState<Required<BrokerSettingsPatch>>({ appKey: '', appSecret: '', callbackUrl: broker?.callbackUrl ?? '', apiBase: broker?.apiBase ?? '', authBase: broker?.authBase ?? '' });
  const [busy, setBusy] = useState(false);
  const [timeZone, setTimeZone] = useState<TimeZoneSetting>(settings?.timeZone ?? 'exchange');
  if (!settings) return null;

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
    const view = await attempt('settings:save', provider === 'demo' ? { provider, timeZone } : { provider, timeZone, [provider]: patch });
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
            </details>
            <p className="muted">
              {broker.loggedIn ? `Logged in${broker.refreshExpiresAt ? ` — log in again before ${new Date(broker.refreshExpiresAt).toLocaleString()}` : ''}.` : 'Not logged in.'}
            </p>
          </>
        ) : (
          <p className="muted">The demo streams simulated data from the built-in simulator; no account is needed.</p>
        )}
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
