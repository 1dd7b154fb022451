/** Time and sales for the selected symbol, newest first, coloured by where the trade printed. */
import type { Trade } from '../../../shared/api.js';
import { formatTime } from '../../../shared/time-zone.js';
import { useTimeZone } from '../store/time-zone.js';
const sizeFmt = new Intl.NumberFormat('en-US');
const SIDE: Record<string, string> = { buy: 'At or above the ask', sell: 'At or below the bid', mid: 'Between bid and ask', none: 'Side unknown' };

export function TimeSales({ trades, derived }: { trades: Trade[]; derived: boolean }) {
  const recent = trades.slice(-200).reverse();
  const { zone, label } = useTimeZone();
  return (
    <div className="panel tape" aria-label="Time and sales">
      <div className="panel-title">
        Time &amp; Sales {derived ? <span className="muted" title="Schwab has no time and sales service: trades are derived from level-one trade fields">(derived)</span> : null}
      </div>
      {/* Focusable, so the list scrolls from the keyboard too. */}
      <div className="tape-rows" tabIndex={0} role="region" aria-label="Trades list">
        {recent.length === 0 ? (
          <div className="muted pad">No trades yet.</div>
        ) : (
          <table aria-label="Trades, newest first">
            <thead>
              <tr className="tape-row head">
                <th scope="col">Time ({label})</th>
                <th scope="col">Price</th>
                <th scope="col">Size</th>
              </tr>
            </thead>
            <tbody>
              {recent.map((t, i) => (
                <tr key={`${t.time}-${i}`} className={`tape-row ${t.side ?? ''}`} title={SIDE[t.side ?? 'none']}>
                  <td>{formatTime(t.time, zone)}</td>
                  <td className="num">{t.price.toFixed(t.price < 10 ? 4 : 2)}</td>
                  <td className="num">{sizeFmt.format(t.size)}</td>
                </tr>
              ))}
            </tbody>
          </table>
        )}
      </div>
    </div>
  );
}
