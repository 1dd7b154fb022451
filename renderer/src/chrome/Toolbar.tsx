/** Watchlist tabs and editing, symbol entry, exports and dialogs. */
import { useState, type FormEvent, type KeyboardEvent } from 'react';
import type { Dialect } from '../../../shared/protocol/services.js';
import { attempt, invoke } from '../api/instance.js';
import { openAlertsPanel } from '../store/alerts.js';
import { activeWatchlist, appStore, pushMessage, setActiveWatchlist, useApp } from '../store/app.js';
import { parseSymbolInput } from '../store/watchlist-edit.js';
import { WatchlistDialogView, type WatchlistDialog } from './WatchlistDialogs.js';

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

/** Runs a watchlist intent; the host's answer (or its refusal) comes back as text to show. */
async function submitDialog(dialog: WatchlistDialog, name: string): Promise<string | null> {
  try {
    if (dialog.kind === 'create') setActiveWatchlist((await invoke('watchlist:create', { name })).id);
    else if (dialog.kind === 'rename') await invoke('watchlist:rename', { id: dialog.id, name });
    else await invoke('watchlist:delete', { id: dialog.id });
    return null;
  } catch (err) {
    return (err as Error).message;
  }
}

export function Toolbar({ dialect }: { dialect: Dialect }) {
  const lists = useApp((s) => s.watchlists);
  const active = useApp(activeWatchlist);
  const progress = useApp((s) => s.exportProgress);
  const [text, setText] = useState('');
  const [error, setError] = useState<string | null>(null);
  const [dialog, setDialog] = useState<WatchlistDialog | null>(null);

  const onAdd = async (e: FormEvent) => {
    e.preventDefault();
    if (!active) return;
    const parsed = parseSymbolInput(text, active.symbols, dialect);
    if (!parsed.ok) return setError(parsed.error);
    try {
      await invoke('watchlist:add-symbols', { id: active.id, symbols: parsed.symbols });
      setError(null);
      setText('');
    } catch (err) {
      setError((err as Error).message);
    }
  };

  const onTabKey = (e: KeyboardEvent<HTMLDivElement>) => {
    const at = lists.findIndex((l) => l.id === active?.id);
    if (at < 0) return;
    if (e.key === 'F2') {
      e.preventDefault();
      setDialog({ kind: 'rename', id: lists[at]!.id, name: lists[at]!.name });
      return;
    }
    const moves: Record<string, number> = { ArrowRight: at + 1, ArrowLeft: at - 1, Home: 0, End: lists.length - 1 };
    if (!(e.key in moves)) return;
    e.preventDefault();
    const next = lists[(moves[e.key]! + lists.length) % lists.length]!;
    setActiveWatchlist(next.id);
    document.getElementById(`tab-${next.id}`)?.focus();
  };

  return (
    <header className="toolbar">
      <span className="brand">Tapedeck</span>
      <div className="tabs" role="tablist" aria-label="Watchlists" onKeyDown={onTabKey}>
        {lists.map((l) => (
          <button
            key={l.id}
            id={`tab-${l.id}`}
            type="button"
            role="tab"
            aria-selected={l.id === active?.id}
            // One tab stop for the list: arrows move between tabs (the ARIA tabs pattern).
            tabIndex={l.id === active?.id ? 0 : -1}
            className={`tab${l.id === active?.id ? ' active' : ''}`}
            onClick={() => setActiveWatchlist(l.id)}
            onDoubleClick={() => setDialog({ kind: 'rename', id: l.id, name: l.name })}
            title="Double-click or F2 to rename"
          >
            {l.name} <span className="muted">{l.symbols.length}</span>
          </button>
        ))}
      </div>
      <button type="button" className="tab ghost" onClick={() => setDialog({ kind: 'create' })} title="New watchlist" aria-label="New watchlist">
        +
      </button>
      {active ? (
        <button type="button" className="tab ghost" onClick={() => setDialog({ kind: 'rename', id: active.id, name: active.name })} aria-label={`Rename ${active.name}`}>
          Rename
        </button>
      ) : null}
      {active && lists.length > 1 ? (
        <button type="button" className="tab ghost" onClick={() => setDialog({ kind: 'delete', id: active.id, name: active.name })} aria-label={`Delete ${active.name}`}>
          Delete
        </button>
      ) : null}
      {active ? (
        <button type="button" className="tab ghost" onClick={() => appStore.setState({ dialog: 'columns' })} aria-label={`Columns of ${active.name}`}>
          Columns…
        </button>
      ) : null}
      <form className="add" onSubmit={(e) => void onAdd(e)}>
        <input aria-label="Add symbol" placeholder="Add symbol (AAPL, /ES, EUR/USD)" value={text} onChange={(e) => setText(e.target.value)} aria-invalid={error !== null} aria-describedby="add-error" />
        <button type="submit">Add</button>
        {error ? <span id="add-error" className="field-error" role="alert">{error}</span> : null}
      </form>
      <div className="actions">
        <button type="button" onClick={() => openAlertsPanel(true)}>Alerts</button>
        <button type="button" onClick={() => void exportDatabase()}>Export database…</button>
        <button type="button" onClick={() => appStore.setState({ dialog: 'csv' })}>Export CSV…</button>
        <button type="button" onClick={() => appStore.setState({ dialog: 'settings' })}>Settings</button>
        <button type="button" onClick={() => appStore.setState({ dialog: 'about' })}>About</button>
      </div>
      {progress && !progress.done ? (
        <progress className="export-progress" max={1} value={progress.fraction} aria-label="Export progress" />
      ) : null}
      {dialog ? <WatchlistDialogView dialog={dialog} onClose={() => setDialog(null)} onSubmit={submitDialog} /> : null}
    </header>
  );
}
