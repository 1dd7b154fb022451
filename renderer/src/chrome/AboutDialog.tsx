import { Fragment, useEffect, useState } from 'react';

const LABELS: Record<string, string> = { electron: 'Electron', chrome: 'Chromium', node: 'Node.js', v8: 'V8', sqlite: 'SQLite' };

/** In browser mode the page runs in the user's browser, not Electron's Chromium: name it from the page. */
function browserVersion(): string | null {
  const m = /(Chrome|Chromium|Firefox|Version)\/([\d.]+)/.exec(navigator.userAgent);
  return m ? `${m[1] === 'Version' ? 'Safari' : m[1]} ${m[2]}` : null;
}
import type { AboutInfo } from '../../../shared/api.js';
import { attempt } from '../api/instance.js';
import { appStore } from '../store/app.js';
import { Modal } from './Modal.js';

export function AboutDialog() {
  const [info, setInfo] = useState<AboutInfo | null>(null);
  useEffect(() => void attempt('app:about', null).then(setInfo), []);
  return (
    <Modal title="About Tapedeck">
      {info ? (
        <dl className="about">
          <dt>Tapedeck</dt><dd>{info.version}</dd>
          {Object.entries(info.versions).map(([k, v]) => (
            <Fragment key={k}><dt>{LABELS[k] ?? k}</dt><dd>{v}</dd></Fragment>
          ))}
          {!info.versions.chrome && browserVersion() ? <><dt>Browser</dt><dd>{browserVersion()}</dd></> : null}
          <dt>Database</dt><dd>{info.dbPath}</dd>
          <dt>Settings folder</dt><dd>{info.userDataPath}</dd>
        </dl>
      ) : null}
      <p className="muted">Charts by TradingView Lightweight Charts™ (https://www.tradingview.com/).</p>
      <div className="buttons"><button type="button" onClick={() => appStore.setState({ dialog: null })}>Close</button></div>
    </Modal>
  );
}
