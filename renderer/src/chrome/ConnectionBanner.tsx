/** The connection banner (connection-banner.ts), with its countdown ticking once a second. */
import { useEffect, useState } from 'react';
import { useApp } from '../store/app.js';
import { connectionBanner } from './connection-banner.js';
import { startLogin } from './login.js';

export function ConnectionBanner() {
  const status = useApp((s) => s.status);
  const bridge = useApp((s) => s.bridgeConnected);
  const [now, setNow] = useState(Date.now());
  const banner = connectionBanner(status, bridge, now);
  const counting = banner !== null && status?.connection === 'waiting';
  useEffect(() => {
    if (!counting) return;
    const t = setInterval(() => setNow(Date.now()), 1000);
    return () => clearInterval(t);
  }, [counting]);
  if (!banner) return null;
  return (
    <div className={`banner ${banner.level}`} data-testid="connection-banner">
      {banner.text}
      {banner.action === 'login' ? (
        <button type="button" className="banner-action" onClick={() => void startLogin()}>
          Log in again
        </button>
      ) : null}
    </div>
  );
}
