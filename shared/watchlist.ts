/** A watchlist as stored and sent: its schema, its limits, and the grammar of its parts. */
import * as v from 'valibot';
import { ColumnLayoutSchema } from './columns.js';

export const LIMITS = {
  lists: 50,
  symbolsPerList: 10_000,
  /** Symbols one add or remove intent may carry (a pasted column of a spreadsheet). */
  symbolsPerEdit: 2_000,
  nameLength: 64,
} as const;

export const ListId = v.pipe(v.string(), v.regex(/^[\w-]{1,64}$/, 'a watchlist id is 1 to 64 letters, digits, _ or -'));
export const ListName = v.pipe(
  v.string(),
  v.trim(),
  v.minLength(1, 'a watchlist needs a name'),
  v.maxLength(LIMITS.nameLength, `a watchlist name has at most ${LIMITS.nameLength} characters`),
);
/** Symbol text as typed; its grammar per dialect is checked by classifySymbol (shared/symbols.ts). */
export const SymbolText = v.pipe(v.string(), v.maxLength(64, 'a symbol has at most 32 characters'));

export const WatchlistSchema = v.object({
  id: ListId,
  name: ListName,
  symbols: v.pipe(v.array(v.string()), v.maxLength(LIMITS.symbolsPerList)),
  /** The grid's columns for this list; absent means the default layout. */
  columns: v.optional(ColumnLayoutSchema),
});
export type Watchlist = v.InferOutput<typeof WatchlistSchema>;
