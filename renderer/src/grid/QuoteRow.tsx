/** One watchlist row: subscribes to its own quote only, so a tick re-renders just this row. */
import { memo, useLayoutEffect, useRef, useSyncExternalStore } from 'react';
import type { QuoteRecord } from '../../../shared/engine-events.js';
import { useApp } from '../store/app.js';
import { getQuote, subscribeQuote } from '../store/quotes.js';
import type { ShownColumn } from './column-layout.js';
import { exactValue, formatCell, isStale, type Column } from './columns.js';
import { flashCell } from './flash.js';

export const ROW_HEIGHT = 22;

interface CellProps {
  col: Column;
  width: number;
  zone: string;
  record: QuoteRecord | undefined;
}

function Cell({ col, width, zone, record }: CellProps) {
  const el = useRef<HTMLDivElement>(null);
  const prev = useRef<number | string | null>(null);
  const value = col.value(record);
  const before = prev.current;
  prev.current = value;
  // Outside React's attributes: the sweep clears the flash without re-rendering the row.
  useLayoutEffect(() => {
    if (col.flash && el.current && typeof value === 'number' && typeof before === 'number' && value !== before) flashCell(el.current, value > before ? 'up' : 'down');
  });
  const text = formatCell(col, record, zone);
  // "D" alone says little: its tooltip says what it marks.
  const tip = col.id === 'delayed' && text !== '' ? 'Delayed quote' : exactValue(col, record) ?? (width < col.width && text !== '' ? text : undefined);
  let cls = col.numeric ? 'cell num' : 'cell';
  if (col.id === 'change' || col.id === 'percent') cls += typeof value === 'number' ? (value > 0 ? ' pos' : value < 0 ? ' neg' : '') : '';
  return (
    <div ref={el} role="gridcell" className={cls} data-field={col.id} style={{ width }} title={tip}>
      {text}
    </div>
  );
}

interface RowProps {
  symbol: string;
  quoteId: string;
  index: number;
  selected: boolean;
  staleTick: number;
  /** The list's shown columns in order, with widths (one array for every row, so rows re-render only when it changes). */
  columns: readonly ShownColumn[];
  /** The zone times are shown in. */
  zone: string;
  onSelect: (symbol: string, index: number) => void;
}

export const QuoteRow = memo(function QuoteRow({ symbol, quoteId, index, selected, staleTick, columns, zone, onSelect }: RowProps) {
  const record = useSyncExternalStore(
    (l) => subscribeQuote(quoteId, l),
    () => getQuote(quoteId),
  );
  void staleTick;
  const marketClosed = useApp((s) => s.status?.marketSession === 'closed');
  const stale = record !== undefined && isStale(record, Date.now(), undefined, marketClosed);
  return (
    <div
      role="row"
      aria-label={symbol}
      aria-rowindex={index + 2}
      aria-selected={selected}
      id={`row-${index}`}
      className={`row${selected ? ' selected' : ''}${stale ? ' stale' : ''}${index % 2 ? ' odd' : ''}`}
      style={{ transform: `translateY(${index * ROW_HEIGHT}px)` }}
      onMouseDown={() => onSelect(symbol, index)}
      title={stale ? 'No update for over a minute, or trading halted' : marketClosed ? 'Market closed: no updates expected' : undefined}
    >
      {columns.map(({ col, width }) => (col.id === 'symbol' ? (
        <div key="symbol" role="rowheader" className="cell sym" data-field="symbol" style={{ width }} title={symbol.length > 12 || width < col.width ? symbol : undefined}>
          {symbol}
          {record?.fields.description === 'Symbol not found' ? <span className="bad"> ?</span> : null}
        </div>
      ) : (
        <Cell key={col.id} col={col} width={width} zone={zone} record={record} />
      )))}
    </div>
  );
});
