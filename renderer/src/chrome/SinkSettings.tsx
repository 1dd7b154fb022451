/**
 * Settings → Recording → Ship to PostgreSQL: the URL (the saved one is only ever shown with its
 * password masked, as the host sends it), on/off, and what the sink is doing. Saved on its own
 * (Save URL, Enter, the switch), so a URL the host refuses is said here, next to the field, and
 * nothing else in the dialog is affected.
 */
import { useId, useState, type KeyboardEvent } from 'react';
import type { SettingsPatch, SettingsView } from '../../../shared/api.js';
import { invoke } from '../api/instance.js';
import { appStore, pushMessage, useApp } from '../store/app.js';
import { sinkDescription } from './sink-text.js';

export function SinkSettings({ settings }: { settings: SettingsView }) {
  const status = useApp((s) => s.status?.sink);
  const [url, setUrl] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [busy, setBusy] = useState(false);
  const errorId = useId();
  const saved = settings.sink.url;

  const save = async (sink: NonNullable<SettingsPatch['sink']>, done: string): Promise<void> => {
    setBusy(true);
    try {
      const view = await invoke('settings:save', { sink });
      appStore.setState({ settings: view });
      setUrl('');
      setError(null);
      pushMessage({ level: 'info', text: done, at: Date.now() });
    } catch (err) {
      // Electron's IPC puts its own words before the host's reason.
      setError((err as Error).message.replace(/^Error invoking remote method '[^']*': (Error: )?/, ''));
    } finally {
      setBusy(false);
    }
  };

  const saveUrl = () => {
    if (url.trim() === '') return setError('Type a PostgreSQL URL: postgres://USER:PASSWORD@HOST:5432/DB');
    void save({ url, enabled: true }, 'PostgreSQL URL saved.');
  };
  const onKey = (e: KeyboardEvent<HTMLInputElement>) => {
    // The dialog's own form would take Enter as its Save: here it saves this field.
    if (e.key !== 'Enter') return;
    e.preventDefault();
    saveUrl();
  };
  const describe = sinkDescription(status);

  return (
    <fieldset className="sink">
      <legend>Ship to PostgreSQL</legend>
      <label className="check">
        <input type="checkbox" checked={settings.sink.enabled} disabled={busy || (!saved && !settings.sink.enabled)} onChange={(e) => void save({ enabled: e.target.checked }, e.target.checked ? 'Shipping to PostgreSQL.' : 'Shipping to PostgreSQL is off.')} />
        <span>Ship every committed batch to PostgreSQL</span>
      </label>
      <label className="field">
        <span>PostgreSQL URL</span>
        <input
          type="text"
          value={url}
          placeholder={saved ? `saved: ${saved} (type to replace)` : 'postgres://USER:PASSWORD@HOST:5432/DB'}
          autoComplete="off"
          spellCheck={false}
          aria-invalid={error !== null}
          aria-describedby={error ? errorId : undefined}
          onChange={(e) => {
            setUrl(e.target.value);
            setError(null);
          }}
          onKeyDown={onKey}
        />
      </label>
      {error ? <p id={errorId} className="field-error" role="alert">{error}</p> : null}
      {saved ? <p className="muted" data-testid="sink-saved-url">Saved: {saved}</p> : null}
      <div className="buttons">
        <button type="button" disabled={busy} onClick={saveUrl}>Save URL</button>
        <button type="button" disabled={busy || !saved} onClick={() => void save({ url: '', enabled: false }, 'PostgreSQL URL removed.')}>Remove URL</button>
      </div>
      {describe ? <p className={`sink-state ${status?.state ?? ''}`} data-testid="sink-state">{describe}</p> : null}
    </fieldset>
  );
}
