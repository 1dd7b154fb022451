/** The status bar: provider (with a DEMO badge), connection, rates, latency, recording, database, PostgreSQL sink. */
import { useEffect, useState } from 'react';
import type { MarketSession } from '../../../shared/market-session.js';
import { appStore, useApp } from '../store/app.js';
import { medianLatency } from '../store/quotes.js';
import { attempt } from '../api/instance.js';
import { sinkDescription, sinkShort } from './sink-text.js';

const int = new Intl.NumberFormat('en-US');
function bytes(n: number): string {
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(0)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}
const PROVIDER: Record<string, string> = { demo: 'Demo', schwab: 'Schwab', tdameritrade: 'TD Ameritrade' };
const SESSION_LABEL: Record<MarketSession, string> = { pre: 'Pre-market', regular: 'Market open', post: 'After hours', closed: 'Market closed' };

export function StatusBar() {
  const status = useApp((s) => s.status);
  const bridge = useApp((s) => s.bridgeConnected);
  const [, setNow] = useState(0);
  useEffect(() => {
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, []);
  const latency = medianLatency();
  if (!status) return <footer className="status" role="status">Connecting to Tapedeck…</footer>;
  const provider = PROVIDER[status.provider] ?? status.provider;
  const retry = status.connection === 'waiting' && status.retryAt ? ` — retry in ${Math.max(0, Math.ceil((status.retryAt - Date.now()) / 1000))} s` : '';
  const toggle = () => void attempt('recording:set', { on: !status.recording }).then((s) => s && appStore.setState({ status: s }));
  return (
    <footer className="status" aria-label="Status">
      {/* The only live region: it changes when the connection's state does, not every second. */}
      <span role="status" className="sr-only">{`${provider}${status.simulated ? ' (simulated data)' : ''}: ${status.connection}`}</span>
      <span className="provider">{provider}</span>
      {status.simulated ? <span className="badge demo" title="Simulated market data">DEMO</span> : null}
      {!bridge ? <span className="badge bad">Disconnected from Tapedeck server</span> : null}
      <span className={`conn ${status.connection}`} title={status.detail ?? ''}>
        ● {status.connection}
        {retry}
        {status.detail && status.connection !== 'streaming' ? ` — ${status.detail}` : ''}
      </span>
      {status.marketSession ? (
        <span className={`session ${status.marketSession}`} data-session={status.marketSession} title="Equity market session, from the provider's market hours">
          {SESSION_LABEL[status.marketSession]}
        </span>
      ) : null}
      <span>{int.format(Math.round(status.updatesPerSec))} upd/s</span>
      <span title="Update-to-screen latency (median of recent batches)">{latency === null ? '— ms' : `${latency} ms`}</span>
      <span>reconnects {status.reconnects}</span>
      <button type="button" className={`rec ${status.recording ? 'on' : ''}`} onClick={toggle} aria-pressed={status.recording}>
        {status.recording ? '● Recording' : '○ Not recording'}
      </button>
      <span>rows {int.format(status.rows)}</span>
      <span>{bytes(status.dbBytes)}</span>
      {sinkShort(status.sink) ? (
        <span className={`sink ${status.sink!.state}`} data-testid="status-sink" title={sinkDescription(status.sink) ?? ''}>
          {sinkShort(status.sink)}
        </span>
      ) : null}
    </footer>
  );
}
