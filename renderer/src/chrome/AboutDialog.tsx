import { Fragment, useEffect, useState } from 'react';
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
          <dt>Version</dt><dd>{info.version}</dd>
          {Object.entries(info.versions).map(([k, v]) => (
            <Fragment key={k}><dt>{k}</dt><dd>{v}</dd></Fragment>
          ))}
          <dt>Database</dt><dd>{info.dbPath}</dd>
          <dt>Settings folder</dt><dd>{info.userDataPath}</dd>
        </dl>
      ) : null}
      <p className="muted">Charts by TradingView Lightweight Charts™ (https://www.tradingview.com/).</p>
      <div className="buttons"><button type="button" onClick={() => appStore.setState({ dialog: null })}>Close</button></div>
    </Modal>
  );
}
