/** Time and sales for the selected symbol, newest first, coloured by where the trade printed. */
import type { Trade } from '../../../shared/api.js';

const timeFmt = new Intl.DateTimeFormat('en-US', { hour: '2-digit', minute: '2-digit', second: '2-digit', hour12: false, timeZone: 'America/New_York' });
const sizeFmt = new Intl.NumberFormat('en-US');

export function TimeSales({ trades, derived }: { trades: Trade[]; derived: boolean }) {
  const recent = trades.slice(-200).reverse();
  return (
    <div className="panel tape" aria-label="Time and sales">
      <div className="panel-title">
        Time &amp; Sales {derived ? <span className="muted" title="Schwab has no time and sales service: trades are derived from level-one trade fields">(derived)</span> : null}
      </div>
      <div className="tape-rows">
        {recent.length === 0 ? <div className="muted pad">No trades yet.</div> : null}
        {recent.map((t, i) => (
          <div key={`${t.time}-${i}`} className={`tape-row ${t.side ?? ''}`}>
            <span>{timeFmt.format(t.time)}</span>
            <span className="num">{t.price.toFixed(t.price < 10 ? 4 : 2)}</span>
            <span className="num">{sizeFmt.format(t.size)}</span>
          </div>
        ))}
      </div>
    </div>
  );
}
