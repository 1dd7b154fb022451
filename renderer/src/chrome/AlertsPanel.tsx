/**
 * The alerts panel (an app dialog): create a rule from fields or from one line of the alert
 * grammar, edit, switch on and off, delete; the recent firings, and clearing them. In browser mode
 * it also asks for notification permission (only a click may ask).
 */
import { useState, type FormEvent } from 'react';
import { ALERT_FIELDS, FIELD_WORDS, formatAlert, parseAlert, type AlertDraft, type AlertField, type AlertMode, type AlertOp, type AlertRule } from '../../../shared/alerts.js';
import type { Dialect } from '../../../shared/protocol/services.js';
import { attempt, invoke } from '../api/instance.js';
import { openAlertsPanel, useAlerts } from '../store/alerts.js';
import { notificationPermission, requestNotifications, unlockSound, type NotificationPermissionState } from './alert-notify.js';
import { Modal } from './Modal.js';

const OP_LABELS: Record<AlertOp, string> = { above: 'above (>)', below: 'below (<)', crosses: 'crosses' };
const time = (ms: number | null) => (ms === null ? '—' : new Date(ms).toLocaleTimeString('en-US', { hour12: false }));

interface Fields {
  symbol: string;
  field: AlertField;
  op: AlertOp;
  threshold: string;
  mode: AlertMode;
}
const BLANK: Fields = { symbol: '', field: 'last', op: 'above', threshold: '', mode: 'once' };
const fieldsOf = (r: AlertRule): Fields => ({ symbol: r.symbol, field: r.field, op: r.op, threshold: String(r.threshold), mode: r.mode });

/** The fields as a draft, checked with the same grammar the text field uses. */
function draftOf(f: Fields, dialect: Dialect): { ok: true; draft: AlertDraft } | { ok: false; error: string } {
  if (f.symbol.trim() === '') return { ok: false, error: 'enter a symbol' };
  if (f.threshold.trim() === '') return { ok: false, error: 'enter a value' };
  return parseAlert(`${f.symbol} ${FIELD_WORDS[f.field]} ${f.op === 'above' ? '>' : f.op === 'below' ? '<' : 'crosses'} ${f.threshold.trim()} ${f.mode}`, dialect);
}

export function AlertsPanel({ dialect }: { dialect: Dialect }) {
  const rules = useAlerts((s) => s.rules);
  const firings = useAlerts((s) => s.firings);
  const [text, setText] = useState('');
  const [textError, setTextError] = useState<string | null>(null);
  const [fields, setFields] = useState<Fields>(BLANK);
  const [editing, setEditing] = useState<string | null>(null);
  const [formError, setFormError] = useState<string | null>(null);
  const [permission, setPermission] = useState<NotificationPermissionState>(notificationPermission);

  const send = async (draft: AlertDraft, id: string | null): Promise<string | null> => {
    unlockSound();
    try {
      if (id) await invoke('alerts:update', { id, draft, enabled: true });
      else await invoke('alerts:create', draft);
      return null;
    } catch (err) {
      return (err as Error).message;
    }
  };

  const onText = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = parseAlert(text, dialect);
    const error = parsed.ok ? await send(parsed.draft, null) : parsed.error;
    setTextError(error);
    if (!error) setText('');
  };

  const onFields = async (e: FormEvent) => {
    e.preventDefault();
    const parsed = draftOf(fields, dialect);
    const error = parsed.ok ? await send(parsed.draft, editing) : parsed.error;
    setFormError(error);
    if (!error) {
      setFields(BLANK);
      setEditing(null);
    }
  };

  const set = <K extends keyof Fields>(k: K) => (value: Fields[K]) => setFields((f) => ({ ...f, [k]: value }));

  return (
    <Modal title="Alerts" onClose={() => openAlertsPanel(false)}>
      <div className="alerts-panel">
        {permission === 'granted' ? null : (
          <p className="notify-permission">
            {permission === 'default' ? (
              <button type="button" onClick={() => void requestNotifications().then(setPermission)}>Enable desktop notifications</button>
            ) : (
              <span role="note">Desktop notifications are {permission === 'denied' ? 'blocked by the browser' : 'not available here'}: alerts show as banners in the app.</span>
            )}
          </p>
        )}

        <form onSubmit={(e) => void onText(e)} className="alert-text">
          <label htmlFor="alert-rule-text">Rule</label>
          <input
            id="alert-rule-text"
            value={text}
            onChange={(e) => setText(e.target.value)}
            placeholder="AAPL last > 230 · /ES bid < 5000 rearm"
            aria-invalid={textError !== null}
            aria-describedby="alert-rule-help alert-rule-error"
          />
          <button type="submit">Add</button>
          <span id="alert-rule-help" className="muted">SYMBOL FIELD (last, bid, ask, change%, volume) OP (&gt;, &lt;, crosses) VALUE [once|rearm]</span>
          {textError ? <span id="alert-rule-error" className="field-error" role="alert">{textError}</span> : null}
        </form>

        <form onSubmit={(e) => void onFields(e)} className="alert-fields" aria-label={editing ? 'Edit alert' : 'New alert'}>
          <label>Symbol<input value={fields.symbol} onChange={(e) => set('symbol')(e.target.value)} /></label>
          <label>Field
            <select value={fields.field} onChange={(e) => set('field')(e.target.value as AlertField)}>
              {ALERT_FIELDS.map((f) => <option key={f} value={f}>{FIELD_WORDS[f]}</option>)}
            </select>
          </label>
          <label>Condition
            <select value={fields.op} onChange={(e) => set('op')(e.target.value as AlertOp)}>
              {(Object.keys(OP_LABELS) as AlertOp[]).map((o) => <option key={o} value={o}>{OP_LABELS[o]}</option>)}
            </select>
          </label>
          <label>Value<input inputMode="decimal" value={fields.threshold} onChange={(e) => set('threshold')(e.target.value)} /></label>
          <label>Fires
            <select value={fields.mode} onChange={(e) => set('mode')(e.target.value as AlertMode)}>
              <option value="once">once</option>
              <option value="rearm">every time (re-arms)</option>
            </select>
          </label>
          <div className="buttons">
            <button type="submit">{editing ? 'Save alert' : 'Create alert'}</button>
            {editing ? <button type="button" onClick={() => { setEditing(null); setFields(BLANK); setFormError(null); }}>Cancel edit</button> : null}
          </div>
          {formError ? <span className="field-error" role="alert">{formError}</span> : null}
        </form>

        <h3 id="alert-rules-title">Rules</h3>
        {rules.length === 0 ? <p className="muted">No alerts yet.</p> : (
          <table className="alert-rules" aria-labelledby="alert-rules-title">
            <thead><tr><th scope="col">Rule</th><th scope="col">On</th><th scope="col">Last fired</th><th scope="col"><span className="sr-only">Actions</span></th></tr></thead>
            <tbody>
              {rules.map((r) => {
                const label = formatAlert(r);
                return (
                  <tr key={r.id}>
                    <th scope="row">{label}</th>
                    <td><input type="checkbox" aria-label={`Enable ${label}`} checked={r.enabled} onChange={(e) => void attempt('alerts:update', { id: r.id, enabled: e.target.checked })} /></td>
                    <td>{time(r.lastFiredAt)}</td>
                    <td className="row-actions">
                      <button type="button" aria-label={`Edit ${label}`} onClick={() => { setEditing(r.id); setFields(fieldsOf(r)); setFormError(null); }}>Edit</button>
                      <button type="button" aria-label={`Delete ${label}`} onClick={() => void attempt('alerts:delete', { id: r.id })}>Delete</button>
                    </td>
                  </tr>
                );
              })}
            </tbody>
          </table>
        )}

        <h3 id="alert-firings-title">Recent firings</h3>
        {firings.length === 0 ? <p className="muted">Nothing has fired.</p> : (
          <ol className="alert-firings" aria-labelledby="alert-firings-title">
            {firings.map((f) => (
              <li key={`${f.ruleId}-${f.firedAt}`}>
                <time dateTime={new Date(f.firedAt).toISOString()}>{time(f.firedAt)}</time> {f.text} <span className="muted">value {f.value}</span>
              </li>
            ))}
          </ol>
        )}
        <div className="buttons">
          <button type="button" disabled={firings.length === 0} onClick={() => void attempt('alerts:clear-history', null)}>Clear history</button>
          <button type="button" onClick={() => openAlertsPanel(false)}>Close</button>
        </div>
      </div>
    </Modal>
  );
}
