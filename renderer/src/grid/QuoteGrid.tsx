/**
 * The Level I grid: virtualized (only visible rows are in the DOM), sortable by any column,
 * keyboard-navigable, and accessible as an ARIA grid whose rows are named by their symbols.
 */
import { useCallback, useEffect, useMemo, useRef, useState, type KeyboardEvent } from 'react';
import type { ColumnLayout } from '../../../shared/columns.js';
import type { Dialect } from '../../../shared/protocol/services.js';
import { saveColumns } from '../store/columns.js';
import { levelOneId } from '../store/route-ids.js';
import { getQuote } from '../store/quotes.js';
import { useTimeZone } from '../store/time-zone.js';
import { layoutOf, shownColumns } from './column-layout.js';
import { COLUMNS, sortSymbols, type ColumnId } from './columns.js';
import { GridHeader, type SortState } from './GridHeader.js';
import { QuoteRow, ROW_HEIGHT } from './QuoteRow.js';

interface Props {
  listId: string;
  name: string;
  /** The list's stored column layout (absent: the default). */
  columns: ColumnLayout | undefined;
  symbols: string[];
  dialect: Dialect;
  selected: string | null;
  onSelect: (symbol: string) => void;
  onRemove: (symbol: string) => void;
}

const OVERSCAN = 8;

export function QuoteGrid({ listId, name, columns, symbols, dialect, selected, onSelect, onRemove }: Props) {
  const body = useRef<HTMLDivElement>(null);
  const canvas = useRef<HTMLDivElement>(null);
  const [scrollTop, setScrollTop] = useState(0);
  const [height, setHeight] = useState(400);
  const [sort, setSort] = useState<SortState>(null);
  const { zone, label: zoneLabel } = useTimeZone();
  /** A layout shown during a resize drag, before it is saved. */
  const [preview, setPreview] = useState<ColumnLayout | null>(null);
  // Keyed by content: every watchlist event brings new objects, and a new column array re-renders every row.
  const storedKey = JSON.stringify(columns ?? null);
  const stored = useMemo(() => layoutOf(JSON.parse(storedKey)), [storedKey]);
  const layout = preview ?? stored;
  const shown = useMemo(() => shownColumns(layout), [layout]);
  // The rows' full width: the grid scrolls sideways when its panel is narrower.
  const totalWidth = shown.reduce((w, c) => w + c.width, 0);
  const commitLayout = useCallback((next: ColumnLayout) => {
    setPreview(null);
    void saveColumns(listId, next);
  }, [listId]);
  const [order, setOrder] = useState<string[]>(symbols);
  const [staleTick, setStaleTick] = useState(0);
  const ids = useMemo(() => new Map(symbols.map((s) => [s, levelOneId(s, dialect)])), [symbols, dialect]);

  // Sorting by live values re-sorts a few times a second, never per tick.
  useEffect(() => {
    const col = sort ? COLUMNS.find((c) => c.id === sort.col) : undefined;
    const resort = () => setOrder(col && sort ? sortSymbols(symbols, col, sort.dir, (s) => getQuote(ids.get(s)!)) : symbols);
    resort();
    if (!col) return;
    const t = setInterval(resort, 750);
    return () => clearInterval(t);
  }, [symbols, sort, ids]);

  useEffect(() => {
    const t = setInterval(() => setStaleTick((n) => n + 1), 5000);
    return () => clearInterval(t);
  }, []);

  useEffect(() => {
    const el = body.current;
    if (!el) return;
    const ro = new ResizeObserver(() => setHeight(el.clientHeight));
    ro.observe(el);
    return () => ro.disconnect();
  }, []);

  const selectedIndex = selected ? order.indexOf(selected) : -1;
  const select = useCallback((symbol: string) => onSelect(symbol), [onSelect]);

  const scrollIntoView = (index: number) => {
    const el = body.current;
    if (!el) return;
    // Rows start below the sticky header, which shares the scroller: above, a row just under the
    // header is in view; below, the row must end inside the scroller (header height included).
    const header = canvas.current?.offsetTop ?? 0;
    const top = index * ROW_HEIGHT;
    if (top < el.scrollTop) el.scrollTop = top;
    else if (header + top + ROW_HEIGHT > el.scrollTop + el.clientHeight) el.scrollTop = header + top + ROW_HEIGHT - el.clientHeight;
  };

  const onKeyDown = (e: KeyboardEvent<HTMLDivElement>) => {
    if (order.length === 0) return;
    const page = Math.max(1, Math.floor(height / ROW_HEIGHT) - 1);
    const moves: Record<string, number> = {
      ArrowDown: selectedIndex + 1, ArrowUp: selectedIndex - 1, PageDown: selectedIndex + page, PageUp: selectedIndex - page, Home: 0, End: order.length - 1,
    };
    if (e.key in moves) {
      e.preventDefault();
      const next = Math.max(0, Math.min(order.length - 1, moves[e.key]!));
      onSelect(order[next]!);
      scrollIntoView(next);
    } else if (e.key === 'Enter' && selectedIndex >= 0) {
      e.preventDefault();
      onSelect(order[selectedIndex]!);
    } else if ((e.key === 'Delete' || e.key === 'Backspace') && selectedIndex >= 0) {
      e.preventDefault();
      onRemove(order[selectedIndex]!);
    }
  };

  const first = Math.max(0, Math.floor(scrollTop / ROW_HEIGHT) - OVERSCAN);
  const last = Math.min(order.length, Math.ceil((scrollTop + height) / ROW_HEIGHT) + OVERSCAN);
  const visible = order.slice(first, last);

  // Each click moves on: the column's natural order (A→Z for symbols, largest first for numbers), the reverse, unsorted.
  const toggleSort = (col: ColumnId) =>
    setSort((s) => {
      const natural = col === 'symbol' ? 'asc' : 'desc';
      if (s?.col !== col) return { col, dir: natural };
      return s.dir === natural ? { col, dir: natural === 'asc' ? 'desc' : 'asc' } : null;
    });

  return (
    <div
      className="grid"
      role="grid"
      aria-label={`Watchlist ${name}`}
      aria-rowcount={order.length + 1}
      aria-activedescendant={selectedIndex >= 0 ? `row-${selectedIndex}` : undefined}
      tabIndex={0}
      onKeyDown={onKeyDown}
    >
      <div className="grid-body" ref={body} onScroll={(e) => setScrollTop(e.currentTarget.scrollTop)}>
        <GridHeader
          shown={shown}
          layout={layout}
          totalWidth={totalWidth}
          sort={sort}
          zoneLabel={zoneLabel}
          onSort={toggleSort}
          onPreview={setPreview}
          onCommit={commitLayout}
        />
        <div className="grid-canvas" ref={canvas} style={{ height: order.length * ROW_HEIGHT, width: totalWidth }}>
          {visible.map((symbol, i) => (
            <QuoteRow
              key={symbol}
              symbol={symbol}
              quoteId={ids.get(symbol) ?? levelOneId(symbol, dialect)}
              index={first + i}
              selected={symbol === selected}
              staleTick={staleTick}
              columns={shown}
              zone={zone}
              onSelect={select}
            />
          ))}
        </div>
        {order.length === 0 ? <div className="empty">This watchlist is empty: add a symbol above.</div> : null}
      </div>
    </div>
  );
}
