/** Level II for the selected symbol, from its book service's whole snapshots. */
import { useSyncExternalStore } from 'react';
import type { BookLevel } from '../../../shared/market.js';
import type { Dialect } from '../../../shared/protocol/services.js';
import { detailRoutes } from '../../../shared/routing.js';
import { idOf } from '../store/route-ids.js';
import { getQuote, subscribeQuote } from '../store/quotes.js';

/** One side of the book as a table: price, size and participants per level, best first. */
function Side({ levels, side }: { levels: BookLevel[]; side: 'bid' | 'ask' }) {
  return (
    <table className={`book-side ${side}`} aria-label={side === 'bid' ? 'Bids' : 'Asks'}>
      <thead>
        <tr className="book-row head">
          <th scope="col">{side === 'bid' ? 'Bid' : 'Ask'}</th>
          <th scope="col">Size</th>
          <th scope="col" title="Participants at the level">#</th>
        </tr>
      </thead>
      <tbody>
        {levels.slice(0, 10).map((l, i) => (
          <tr className="book-row" key={i} title={l.entries.map((e) => `${e.venue} ${e.size}`).join(', ')}>
            <td className="num">{l.price.toFixed(2)}</td>
            <td className="num">{l.size.toLocaleString('en-US')}</td>
            <td className="num muted">{l.count}</td>
          </tr>
        ))}
      </tbody>
    </table>
  );
}

const never = () => () => undefined;

export function Book({ symbol, dialect }: { symbol: string; dialect: Dialect }) {
  const id = idOf(detailRoutes(symbol, dialect).book);
  const record = useSyncExternalStore(id ? (l) => subscribeQuote(id, l) : never, () => (id ? getQuote(id) : undefined));
  return (
    <div className="panel book" aria-label={`Level II ${symbol}`}>
      <div className="panel-title">Level II {record ? <span className="muted">{record.service}</span> : null}</div>
      {record?.book ? (
        <div className="book-grid">
          <Side levels={record.book.bids} side="bid" />
          <Side levels={record.book.asks} side="ask" />
        </div>
      ) : (
        <div className="muted pad">{id ? `No book for ${symbol} yet.` : `No book is streamed for ${symbol}.`}</div>
      )}
    </div>
  );
}
