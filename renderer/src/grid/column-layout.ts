/**
 * A watchlist's column layout as the grid applies it: the shown columns in order with their
 * widths, and the edits the column chooser and the header make (move, show/hide, resize).
 * Symbol is pinned: always first, always shown.
 */
import { COLUMN_IDS, COLUMN_WIDTH, PINNED_COLUMN, normalizeLayout, type ColumnId, type ColumnLayout } from '../../../shared/columns.js';
import { COLUMNS, type Column } from './columns.js';

export interface ShownColumn {
  col: Column;
  width: number;
}

const BY_ID = new Map(COLUMNS.map((c) => [c.id, c]));

export function defaultLayout(): ColumnLayout {
  return { order: [...COLUMN_IDS], hidden: [], widths: {} };
}

/** The layout a list stores, made whole (anything unreadable is the default). */
export function layoutOf(stored: unknown): ColumnLayout {
  return normalizeLayout(stored) ?? defaultLayout();
}

export function shownColumns(layout: ColumnLayout): ShownColumn[] {
  const hidden = new Set(layout.hidden);
  return layout.order
    .filter((id) => !hidden.has(id))
    .map((id) => BY_ID.get(id))
    .filter((col): col is Column => col !== undefined)
    .map((col) => ({ col, width: layout.widths[col.id] ?? col.width }));
}

export const clampWidth = (w: number) => Math.round(Math.min(COLUMN_WIDTH.max, Math.max(COLUMN_WIDTH.min, w)));

/** Moves a column to an index of the whole order; Symbol neither moves nor is displaced. */
export function moveColumn(layout: ColumnLayout, id: ColumnId, to: number): ColumnLayout {
  if (id === PINNED_COLUMN) return layout;
  const rest = layout.order.filter((c) => c !== id);
  const at = Math.max(1, Math.min(rest.length, to));
  return { ...layout, order: [...rest.slice(0, at), id, ...rest.slice(at)] };
}

export function setHidden(layout: ColumnLayout, id: ColumnId, hide: boolean): ColumnLayout {
  if (id === PINNED_COLUMN) return layout;
  const hidden = layout.hidden.filter((c) => c !== id);
  return { ...layout, hidden: hide ? [...hidden, id] : hidden };
}

export function setWidth(layout: ColumnLayout, id: ColumnId, width: number): ColumnLayout {
  return { ...layout, widths: { ...layout.widths, [id]: clampWidth(width) } };
}
