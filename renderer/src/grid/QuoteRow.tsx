/** One watchlist row: subscribes to its own quote only, so a tick re-renders just this row. */
import { memo, useRef, useSyncExternalStore } from 'react';
import type { QuoteRecord } from '../../../shared/engine-events.js';
import { getQuote, subscribeQuote } from '../store/quotes.js';
import { COLUMNS, formatCell, isStale, type Column } from './columns.js';

export const ROW_HEIGHT = 22;

interface CellProps {
  col: Column;
  record: QuoteRecord | undefined;
}

function Cell({ col, record }: CellProps) {
  const prev = useRef<number | string | null>(null);
  const flash = useRef<{ dir: '' | 'up' | 'down'; phase: 'a' | 'b' }>({ dir: '', phase: 'a' });
  const value = col.value(record);
  if (col.flash && typeof value === 'number' && typeof prev.current === 'number' && value !== prev.current) {
    // Alternating two identical animations restarts the flash on consecutive ticks the same way.
    flash.current = { dir: value > prev.current ? 'up' : 'down', phase: flash.current.phase === 'a' ? 'b' : 'a' };
  }
  prev.current = value;
  let cls = col.numeric ? 'cell num' : 'cell';
  if (flash.current.dir) cls += ` ${flash.current.dir}-${flash.current.phase}`;
  if (col.id === 'change' || col.id === 'percent') cls += typeof value === 'number' ? (value > 0 ? ' pos' : value < 0 ? ' neg' : '') : '';
  return (
    <div role="gridcell" className={cls} data-field={col.id} style={{ width: col.width }}>
      {formatCell(col, record)}
    </div>
  );
}

interface RowProps {
  symbol: string;
  quoteId: string;
  index: number;
  selected: boolean;
  staleTick: number;
  onSelect: (symbol: string, index: number) => void;
}

export const QuoteRow = memo(function QuoteRow({ symbol, quoteId, index, selected, staleTick, onSelect }: RowProps) {
  const record = useSyncExternalStore(
    (l) => subscribeQuote(quoteId, l),
    () => getQuote(quoteId),
  );
  void staleTick;
  const stale = record !== undefined && isStale(record, Date.now());
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
      title={stale ? 'No update for over a minute, or trading halted' : undefined}
    >
      {COLUMNS.map((col) => (col.id === 'symbol' ? (
        <div key="symbol" role="gridcell" className="cell sym" data-field="symbol" style={{ width: col.width }}>
          {symbol}
          {record?.fields.description === 'Symbol not found' ? <span className="bad"> ?</span> : null}
        </div>
      ) : (
        <Cell key={col.id} col={col} record={record} />
      )))}
    </div>
  );
});
