/** Level II for the selected symbol, from the book service's whole snapshots. */
import { useSyncExternalStore } from 'react';
import type { BookLevel } from '../../../shared/market.js';
import { getQuote, quoteId, subscribeQuote } from '../store/quotes.js';

const BOOK_SERVICES = ['NASDAQ_BOOK', 'NYSE_BOOK', 'LISTED_BOOK', 'OPTIONS_BOOK'];

function Side({ levels, side }: { levels: BookLevel[]; side: 'bid' | 'ask' }) {
  return (
    <div className={`book-side ${side}`}>
      {levels.slice(0, 10).map((l, i) => (
        <div className="book-row" key={i} title={l.entries.map((e) => `${e.venue} ${e.size}`).join(', ')}>
          <span className="num">{l.price.toFixed(2)}</span>
          <span className="num">{l.size.toLocaleString('en-US')}</span>
          <span className="num muted">{l.count}</span>
        </div>
      ))}
    </div>
  );
}

export function Book({ symbol }: { symbol: string }) {
  const id = BOOK_SERVICES.map((s) => quoteId(s, symbol));
  const record = useSyncExternalStore(
    (l) => {
      const offs = id.map((i) => subscribeQuote(i, l));
      return () => offs.forEach((o) => o());
    },
    () => id.map((i) => getQuote(i)).find((r) => r?.book),
  );
  return (
    <div className="panel book" aria-label={`Level II ${symbol}`}>
      <div className="panel-title">Level II {record ? <span className="muted">{record.service}</span> : null}</div>
      {record?.book ? (
        <div className="book-grid">
          <Side levels={record.book.bids} side="bid" />
          <Side levels={record.book.asks} side="ask" />
        </div>
      ) : (
        <div className="muted pad">No book for {symbol}.</div>
      )}
    </div>
  );
}
