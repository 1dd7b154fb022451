/** Most active symbols: SCREENER_EQUITY on Schwab, ACTIVES_* on the TD dialect (shared/routing.ts). */
import { useEffect, useState } from 'react';
import type { QuoteRecord } from '../../../shared/engine-events.js';
import type { Dialect } from '../../../shared/protocol/services.js';
import { moversRoute, routeId } from '../../../shared/routing.js';
import { getQuote, subscribeQuote } from '../store/quotes.js';

export function Movers({ dialect, onPick }: { dialect: Dialect; onPick: (symbol: string) => void }) {
  const route = moversRoute(dialect);
  const id = routeId(route.service, route.key);
  const [record, setRecord] = useState<QuoteRecord | undefined>(() => getQuote(id));
  useEffect(() => {
    setRecord(getQuote(id));
    let last = 0;
    // Movers change every few seconds at most: one render a second is plenty.
    return subscribeQuote(id, () => {
      const now = performance.now();
      if (now - last < 1000) return;
      last = now;
      setRecord(getQuote(id));
    });
  }, [id]);
  const rows: { symbol: string; value: string }[] = [];
  if (record?.screener) for (const i of record.screener) rows.push({ symbol: i.symbol, value: (i.volume ?? 0).toLocaleString('en-US') });
  else if (record?.actives) for (const e of record.actives.groups[record.actives.groups.length - 1]?.entries ?? []) rows.push({ symbol: e.symbol, value: `${e.percent.toFixed(2)}%` });
  return (
    <div className="panel movers" aria-label="Movers">
      <div className="panel-title">Movers <span className="muted">{route.title}</span></div>
      {rows.length === 0 ? <div className="muted pad">Waiting for movers…</div> : null}
      {rows.map((r) => (
        <button type="button" className="mover" key={r.symbol} onClick={() => onPick(r.symbol)}>
          <span>{r.symbol}</span>
          <span className="num muted">{r.value}</span>
        </button>
      ))}
    </div>
  );
}
