/** Watchlist selection and editing, symbol entry, exports and dialogs. */
import { useState, type FormEvent } from 'react';
import type { Watchlist } from '../../../shared/api.js';
import type { Dialect } from '../../../shared/protocol/services.js';
import { attempt } from '../api/instance.js';
import { activeWatchlist, appStore, pushMessage, useApp } from '../store/app.js';
import { addSymbols, createList, deleteList, renameList, type EditResult } from '../store/watchlist-edit.js';

export async function saveWatchlists(lists: Watchlist[], activeId: string): Promise<boolean> {
  const saved = await attempt('watchlists:save', { watchlists: lists, activeWatchlistId: activeId });
  if (!saved) return false;
  appStore.setState({ watchlists: saved, activeWatchlistId: activeId });
  return true;
}

function download(location: string): void {
  const a = document.createElement('a');
  a.href = location;
  a.download = location.split('/').pop() ?? 'export';
  document.body.append(a);
  a.click();
  a.remove();
}

export async function exportDatabase(): Promise<void> {
  const r = await attempt('export:database', null);
  if (!r) return;
  pushMessage({ level: r.ok ? 'info' : 'warning', text: r.message, at: Date.now() });
  if (r.ok && r.location?.startsWith('/exports/')) download(r.location);
}

export { download };

export function Toolbar({ dialect }: { dialect: Dialect }) {
  const lists = useApp((s) => s.watchlists);
  const active = useApp(activeWatchlist);
  const progress = useApp((s) => s.exportProgress);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);

  const apply = async (r: EditResult, activeId = active?.id ?? '') => {
    if (!r.ok) {
      setError(r.error);
      return false;
    }
    setError(null);
    return saveWatchlists(r.lists, activeId);
  };

  const onAdd = async (e: FormEvent) => {
    e.preventDefault();
    if (!active) return;
    if (await apply(addSymbols(lists, active.id, text, dialect))) setText('');
  };

  const onNew = async () => {
    const name = window.prompt('Name of the new watchlist');
    if (name === null) return;
    const r = createList(lists, name);
    await apply(r, r.ok && r.id ? r.id : active?.id);
  };

  return (
    <header className="toolbar">
      <span className="brand">Tapedeck</span>
      <div className="tabs" role="tablist" aria-label="Watchlists">
        {lists.map((l) => (
          <button
            key={l.id}
            type="button"
            role="tab"
            aria-selected={l.id === active?.id}
            className={`tab${l.id === active?.id ? ' active' : ''}`}
            onClick={() => void saveWatchlists(lists, l.id)}
            onDoubleClick={() => {
              const name = window.prompt('Rename watchlist', l.name);
              if (name !== null) void apply(renameList(lists, l.id, name));
            }}
          >
            {l.name} <span className="muted">{l.symbols.length}</span>
          </button>
        ))}
        <button type="button" className="tab ghost" onClick={() => void onNew()} title="New watchlist">
          +
        </button>
        {active && lists.length > 1 ? (
          <button type="button" className="tab ghost" title={`Delete ${active.name}`} onClick={() => {
            if (window.confirm(`Delete the watchlist ${active.name}?`)) void apply(deleteList(lists, active.id), lists.find((l) => l.id !== active.id)!.id);
          }}>
            🗑
          </button>
        ) : null}
      </div>
      <form className="add" onSubmit={(e) => void onAdd(e)}>
        <input aria-label="Add symbol" placeholder="Add symbol (AAPL, /ES, EUR/USD)" value={text} onChange={(e) => setText(e.target.value)} aria-invalid={error !== null} aria-describedby="add-error" />
        <button type="submit">Add</button>
        {error ? <span id="add-error" className="field-error" role="alert">{error}</span> : null}
      </form>
      <div className="actions">
        <button type="button" onClick={() => void exportDatabase()}>Export database…</button>
        <button type="button" onClick={() => appStore.setState({ dialog: 'csv' })}>Export CSV…</button>
        <button type="button" onClick={() => appStore.setState({ dialog: 'settings' })}>Settings</button>
        <button type="button" onClick={() => appStore.setState({ dialog: 'about' })}>About</button>
      </div>
      {progress && !progress.done ? (
        <progress className="export-progress" max={1} value={progress.fraction} aria-label="Export progress" />
      ) : null}
    </header>
  );
}
