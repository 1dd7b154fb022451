/**
 * The column chooser of the active watchlist: show or hide each column, move it (drag, or the
 * up/down buttons from the keyboard), reset to the default. Every change is saved at once, for
 * this list only; Symbol is always shown and first.
 */
import { useEffect, useRef, useState, type DragEvent } from 'react';
import { PINNED_COLUMN, type ColumnId, type ColumnLayout } from '../../../shared/columns.js';
import { layoutOf, moveColumn, setHidden } from '../grid/column-layout.js';
import { COLUMNS } from '../grid/columns.js';
import { activeWatchlist, appStore, useApp } from '../store/app.js';
import { saveColumns } from '../store/columns.js';
import { useTimeZone } from '../store/time-zone.js';
import { Modal } from './Modal.js';

const BY_ID = new Map(COLUMNS.map((c) => [c.id, c]));

export function ColumnsDialog() {
  const list = useApp(activeWatchlist);
  const { label: zoneLabel } = useTimeZone();
  const dragged = useRef<ColumnId | null>(null);
  const [dropOn, setDropOn] = useState<ColumnId | null>(null);
  /** The move button to focus again once its row has moved (moving a node in the DOM drops its focus). */
  const refocus = useRef<string | null>(null);
  useEffect(() => {
    if (!refocus.current) return;
    const button = document.getElementById(refocus.current) as HTMLButtonElement | null;
    refocus.current = null;
    if (button && !button.disabled) button.focus();
    else button?.parentElement?.querySelector<HTMLButtonElement>('button:not([disabled])')?.focus();
  });
  if (!list) return null;
  const layout = layoutOf(list.columns);
  const hidden = new Set(layout.hidden);
  const save = (next: ColumnLayout | null) => void saveColumns(list.id, next);
  const labelOf = (id: ColumnId) => {
    const label = BY_ID.get(id)?.label ?? id;
    return id === 'time' ? `${label} (${zoneLabel})` : label;
  };
  const move = (id: ColumnId, by: -1 | 1) => {
    refocus.current = `column-${by < 0 ? 'up' : 'down'}-${id}`;
    save(moveColumn(layout, id, layout.order.indexOf(id) + by));
  };
  const onDrop = (e: DragEvent<HTMLLIElement>, target: ColumnId) => {
    e.preventDefault();
    const moving = dragged.current;
    dragged.current = null;
    setDropOn(null);
    if (!moving || moving === target) return;
    // Dropped on a row: the column takes that row's place (Symbol's place is never given up).
    save(moveColumn(layout, moving, layout.order.indexOf(target)));
  };

  return (
    <Modal title={`Columns of ${list.name}`}>
      <p className="muted" id="columns-help">Tick to show. Drag a row, or use its arrows, to move it. Symbol always comes first.</p>
      <ul className="column-list" aria-label="Columns, in order" aria-describedby="columns-help">
        {layout.order.map((id, i) => {
          const pinned = id === PINNED_COLUMN;
          const label = labelOf(id);
          return (
            <li
              key={id}
              className={`column-item${dropOn === id ? ' drop-target' : ''}`}
              data-column={id}
              draggable={!pinned}
              title={BY_ID.get(id)?.title}
              onDragStart={(e) => {
                dragged.current = id;
                e.dataTransfer.effectAllowed = 'move';
                e.dataTransfer.setData('application/x-tapedeck-column', id);
              }}
              onDragOver={(e) => {
                if (!dragged.current) return;
                e.preventDefault();
                if (dropOn !== id) setDropOn(id);
              }}
              onDragLeave={() => setDropOn(null)}
              onDrop={(e) => onDrop(e, id)}
              onDragEnd={() => {
                dragged.current = null;
                setDropOn(null);
              }}
            >
              <label>
                <input type="checkbox" checked={pinned || !hidden.has(id)} disabled={pinned} onChange={(e) => save(setHidden(layout, id, !e.target.checked))} />
                {label}
              </label>
              <button type="button" id={`column-up-${id}`} aria-label={`Move ${label} up`} disabled={pinned || i <= 1} onClick={() => move(id, -1)}>↑</button>
              <button type="button" id={`column-down-${id}`} aria-label={`Move ${label} down`} disabled={pinned || i === layout.order.length - 1} onClick={() => move(id, 1)}>↓</button>
            </li>
          );
        })}
      </ul>
      <div className="buttons">
        <button type="button" onClick={() => save(null)}>Reset to default</button>
        <button type="button" onClick={() => appStore.setState({ dialog: null })}>Close</button>
      </div>
    </Modal>
  );
}
