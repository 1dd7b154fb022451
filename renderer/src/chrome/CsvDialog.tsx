/** CSV export of one table over a time range, optionally one symbol. */
import { useEffect, useState, type FormEvent } from 'react';
import { inputToInstant } from '../../../shared/time-zone.js';
import { attempt } from '../api/instance.js';
import { appStore, pushMessage } from '../store/app.js';
import { useTimeZone } from '../store/time-zone.js';
import { Modal } from './Modal.js';
import { download } from './Toolbar.js';

export function CsvDialog() {
  const [tables, setTables] = useState<string[]>([]);
  const [table, setTable] = useState('');
  const [from, setFrom] = useState('');
  const [to, setTo] = useState('');
  const [key, setKey] = useState('');
  // The range is typed as wall-clock times in the zone the app shows, and labelled with it.
  const { zone, label } = useTimeZone();
  useEffect(() => {
    void attempt('db:tables', null).then((t) => {
      const list = (t ?? []).filter((n) => n !== 'meta');
      setTables(list);
      setTable(list.find((n) => n === 'levelone_equities') ?? list[0] ?? '');
    });
  }, []);
  const submit = async (e: FormEvent) => {
    e.preventDefault();
    const r = await attempt('export:csv', { table, from: inputToInstant(from, zone), to: inputToInstant(to, zone), key: key.trim() || undefined });
    if (!r) return;
    pushMessage({ level: r.ok ? 'info' : 'warning', text: r.message, at: Date.now() });
    if (r.ok && r.location?.startsWith('/exports/')) download(r.location);
    if (r.ok) appStore.setState({ dialog: null });
  };
  return (
    <Modal title="Export CSV">
      <form onSubmit={(e) => void submit(e)} className="settings">
        <label className="field"><span>Table</span>
          <select value={table} onChange={(e) => setTable(e.target.value)}>{tables.map((t) => <option key={t}>{t}</option>)}</select>
        </label>
        <label className="field"><span>From ({label})</span><input type="datetime-local" step={1} value={from} onChange={(e) => setFrom(e.target.value)} /></label>
        <label className="field"><span>To ({label})</span><input type="datetime-local" step={1} value={to} onChange={(e) => setTo(e.target.value)} /></label>
        <label className="field"><span>Symbol (optional)</span><input value={key} onChange={(e) => setKey(e.target.value)} /></label>
        <div className="buttons">
          <button type="submit" disabled={!table}>Export</button>
          <button type="button" onClick={() => appStore.setState({ dialog: null })}>Cancel</button>
        </div>
      </form>
    </Modal>
  );
}
