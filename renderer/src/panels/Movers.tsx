/** Most active symbols: ACTIVES_* on the TD dialect, SCREENER_EQUITY on Schwab. */
import { useEffect, useState } from 'react';
import type { QuoteRecord } from '../../../shared/engine-events.js';
import { allQuotes, subscribeAny } from '../store/quotes.js';

function findMovers(): QuoteRecord | undefined {
  for (const r of allQuotes()) if (r.actives || r.screener) return r;
  return undefined;
}

export function Movers({ onPick }: { onPick: (symbol: string) => void }) {
  const [record, setRecord] = useState<QuoteRecord | undefined>(findMovers);
  useEffect(() => {
    let last = 0;
    return subscribeAny(() => {
      const now = performance.now();
      if (now - last < 1000) return;
      last = now;
      setRecord(findMovers());
    });
  }, []);
  const rows: { symbol: string; value: string }[] = [];
  if (record?.screener) for (const i of record.screener) rows.push({ symbol: i.symbol, value: (i.volume ?? 0).toLocaleString('en-US') });
  else if (record?.actives) for (const e of record.actives.groups[record.actives.groups.length - 1]?.entries ?? []) rows.push({ symbol: e.symbol, value: `${e.percent.toFixed(2)}%` });
  return (
    <div className="panel movers" aria-label="Movers">
      <div className="panel-title">Movers {record ? <span className="muted">{record.key}</span> : null}</div>
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
