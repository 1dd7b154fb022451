/**
 * The grid's header row: sort buttons, drag a header to move its column, drag a header's right
 * edge to resize it (or focus that edge and use the arrow keys). Symbol stays first: it neither
 * moves nor takes a column dropped before it.
 */
import { useRef, useState, type DragEvent, type KeyboardEvent, type PointerEvent } from 'react';
import { COLUMN_WIDTH, PINNED_COLUMN, type ColumnId, type ColumnLayout } from '../../../shared/columns.js';
import { moveColumn, setWidth, type ShownColumn } from './column-layout.js';

export type SortState = { col: ColumnId; dir: 'asc' | 'desc' } | null;

interface Props {
  shown: readonly ShownColumn[];
  layout: ColumnLayout;
  totalWidth: number;
  sort: SortState;
  /** The label of the zone times are shown in ("ET"). */
  zoneLabel: string;
  onSort: (col: ColumnId) => void;
  /** A layout shown while a resize is under way, not yet saved (null: none). */
  onPreview: (layout: ColumnLayout | null) => void;
  onCommit: (layout: ColumnLayout) => void;
}

const DRAG_TYPE = 'application/x-tapedeck-column';
const KEY_STEP = 8;

export function GridHeader({ shown, layout, totalWidth, sort, zoneLabel, onSort, onPreview, onCommit }: Props) {
  const dragged = useRef<ColumnId | null>(null);
  const resizing = useRef<{ id: ColumnId; startX: number; startWidth: number; layout: ColumnLayout } | null>(null);
  const [dropAt, setDropAt] = useState<{ id: ColumnId; after: boolean } | null>(null);

  const dropSide = (e: DragEvent<HTMLDivElement>, id: ColumnId): { id: ColumnId; after: boolean } => {
    const box = e.currentTarget.getBoundingClientRect();
    // Nothing goes before Symbol: a drop on its left half means "after Symbol".
    return { id, after: id === PINNED_COLUMN || e.clientX > box.left + box.width / 2 };
  };

  const onDragStart = (e: DragEvent<HTMLDivElement>, id: ColumnId) => {
    // A drag that begins on a resize handle is a resize, not a move.
    if (resizing.current || id === PINNED_COLUMN) return e.preventDefault();
    dragged.current = id;
    e.dataTransfer.effectAllowed = 'move';
    e.dataTransfer.setData(DRAG_TYPE, id);
  };
  const onDragOver = (e: DragEvent<HTMLDivElement>, id: ColumnId) => {
    if (!dragged.current) return;
    e.preventDefault();
    e.dataTransfer.dropEffect = 'move';
    const side = dropSide(e, id);
    if (side.id !== dropAt?.id || side.after !== dropAt.after) setDropAt(side);
  };
  const onDrop = (e: DragEvent<HTMLDivElement>, id: ColumnId) => {
    e.preventDefault();
    const moving = dragged.current;
    dragged.current = null;
    setDropAt(null);
    if (!moving || moving === id) return;
    const { after } = dropSide(e, id);
    const rest = layout.order.filter((c) => c !== moving);
    onCommit(moveColumn(layout, moving, rest.indexOf(id) + (after ? 1 : 0)));
  };
  const onDragEnd = () => {
    dragged.current = null;
    setDropAt(null);
  };

  const onResizeDown = (e: PointerEvent<HTMLDivElement>, id: ColumnId, width: number) => {
    if (e.button !== 0) return;
    e.stopPropagation();
    e.currentTarget.setPointerCapture(e.pointerId);
    resizing.current = { id, startX: e.clientX, startWidth: width, layout };
  };
  const onResizeMove = (e: PointerEvent<HTMLDivElement>) => {
    const r = resizing.current;
    if (r) onPreview(setWidth(r.layout, r.id, r.startWidth + e.clientX - r.startX));
  };
  const onResizeUp = (e: PointerEvent<HTMLDivElement>) => {
    const r = resizing.current;
    resizing.current = null;
    if (!r) return;
    onPreview(null);
    if (e.clientX !== r.startX) onCommit(setWidth(r.layout, r.id, r.startWidth + e.clientX - r.startX));
  };
  const onResizeKey = (e: KeyboardEvent<HTMLDivElement>, id: ColumnId, width: number) => {
    const step = e.shiftKey ? KEY_STEP * 4 : KEY_STEP;
    const next = e.key === 'ArrowLeft' ? width - step : e.key === 'ArrowRight' ? width + step : null;
    if (next === null) return;
    // The grid's own keys (moving the selection) must not see these.
    e.preventDefault();
    e.stopPropagation();
    onCommit(setWidth(layout, id, next));
  };

  return (
    <div role="row" className="row header" aria-rowindex={1} style={{ width: totalWidth }}>
      {shown.map(({ col: c, width }) => {
        const label = c.id === 'time' ? `${c.label} (${zoneLabel})` : c.label;
        const drop = dropAt?.id === c.id ? (dropAt.after ? ' drop-after' : ' drop-before') : '';
        return (
          <div
            key={c.id}
            role="columnheader"
            aria-sort={sort?.col === c.id ? (sort.dir === 'asc' ? 'ascending' : 'descending') : 'none'}
            className={`cell head${c.numeric ? ' num' : ''}${c.id === PINNED_COLUMN ? ' sym' : ''}${drop}`}
            style={{ width }}
            data-column={c.id}
            draggable={c.id !== PINNED_COLUMN}
            onDragStart={(e) => onDragStart(e, c.id)}
            onDragOver={(e) => onDragOver(e, c.id)}
            onDragLeave={() => setDropAt(null)}
            onDrop={(e) => onDrop(e, c.id)}
            onDragEnd={onDragEnd}
          >
            {/* A button, so sorting works from the keyboard too (Tab to it, Enter or Space). */}
            <button type="button" className="sort" onClick={() => onSort(c.id)} title={`${c.title}${c.id === 'time' ? ` (${zoneLabel})` : ''} — sort; drag to move`}>
              {label}
              {sort?.col === c.id ? (sort.dir === 'asc' ? ' ▲' : ' ▼') : ''}
            </button>
            <div
              className="col-resize"
              role="separator"
              aria-orientation="vertical"
              aria-label={`Resize ${c.label}`}
              aria-valuenow={width}
              aria-valuemin={COLUMN_WIDTH.min}
              aria-valuemax={COLUMN_WIDTH.max}
              tabIndex={0}
              title="Drag, or use the arrow keys, to resize"
              onPointerDown={(e) => onResizeDown(e, c.id, width)}
              onPointerMove={onResizeMove}
              onPointerUp={onResizeUp}
              onPointerCancel={onResizeUp}
              onKeyDown={(e) => onResizeKey(e, c.id, width)}
            />
          </div>
        );
      })}
    </div>
  );
}
