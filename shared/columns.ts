/**
 * A watchlist's grid layout: which Level I columns it shows, in what order and how wide. Stored
 * with the watchlist by the host, so it survives a restart and follows every window; the grid's
 * column definitions (renderer/src/grid/columns.ts) are keyed by these ids.
 */
import * as v from 'valibot';

export const COLUMN_IDS = [
  'symbol', 'last', 'change', 'percent', 'bid', 'ask', 'bidSize', 'askSize',
  'volume', 'high', 'low', 'open', 'close', 'time', 'delayed',
] as const;
export type ColumnId = (typeof COLUMN_IDS)[number];

/** Symbol names the row and is frozen at the left: always shown, always first. */
export const PINNED_COLUMN: ColumnId = 'symbol';
export const COLUMN_WIDTH = { min: 24, max: 480 } as const;

const ColumnIdSchema = v.picklist(COLUMN_IDS, 'an unknown column');
const Width = v.pipe(v.number(), v.integer(), v.minValue(COLUMN_WIDTH.min), v.maxValue(COLUMN_WIDTH.max));
const unique = (ids: ColumnId[]) => new Set(ids).size === ids.length;

export const ColumnLayoutSchema = v.strictObject({
  /** Every column once, in display order (columns a later version adds are appended on reading). */
  order: v.pipe(v.array(ColumnIdSchema), v.maxLength(COLUMN_IDS.length), v.check(unique, 'a column appears twice')),
  hidden: v.pipe(v.array(ColumnIdSchema), v.maxLength(COLUMN_IDS.length), v.check(unique, 'a column appears twice')),
  /** Widths the user set, in CSS pixels; other columns keep their default width. */
  widths: v.record(ColumnIdSchema, Width),
});
export type ColumnLayout = v.InferOutput<typeof ColumnLayoutSchema>;

/**
 * A layout made whole and consistent: every known column exactly once, Symbol first and shown.
 * Returns undefined for anything that is not a layout (stored junk), which means "the defaults".
 */
export function normalizeLayout(raw: unknown): ColumnLayout | undefined {
  const parsed = v.safeParse(ColumnLayoutSchema, raw);
  if (!parsed.success) return undefined;
  const { order, hidden, widths } = parsed.output;
  const rest = order.filter((id) => id !== PINNED_COLUMN);
  const missing = COLUMN_IDS.filter((id) => id !== PINNED_COLUMN && !rest.includes(id));
  return {
    order: [PINNED_COLUMN, ...rest, ...missing],
    hidden: hidden.filter((id) => id !== PINNED_COLUMN),
    widths: { ...widths },
  };
}
