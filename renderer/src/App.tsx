/** The main window: watchlist grid on the left, the selected symbol's chart, book and tape on the right. */
import { useCallback } from 'react';
import type { Dialect } from '../../shared/protocol/services.js';
import { attempt } from './api/instance.js';
import { AboutDialog } from './chrome/AboutDialog.js';
import { AlertAnnouncer } from './chrome/AlertAnnouncer.js';
import { AlertsPanel } from './chrome/AlertsPanel.js';
import { ColumnsDialog } from './chrome/ColumnsDialog.js';
import { ConnectionBanner } from './chrome/ConnectionBanner.js';
import { CsvDialog } from './chrome/CsvDialog.js';
import { Messages } from './chrome/Messages.js';
import { SettingsDialog } from './chrome/SettingsDialog.js';
import { StatusBar } from './chrome/StatusBar.js';
import { Toolbar } from './chrome/Toolbar.js';
import { QuoteGrid } from './grid/QuoteGrid.js';
import { Book } from './panels/Book.js';
import { Chart } from './panels/Chart.js';
import { Movers } from './panels/Movers.js';
import { TimeSales } from './panels/TimeSales.js';
import { useAlerts } from './store/alerts.js';
import { activeWatchlist, useApp } from './store/app.js';
import { selectSymbol } from './store/focus.js';
import { levelOneId } from './store/route-ids.js';

export function App() {
  const status = useApp((s) => s.status);
  const dialect: Dialect = status?.dialect === 'tdameritrade' ? 'tdameritrade' : 'schwab';
  const list = useApp(activeWatchlist);
  const selected = useApp((s) => s.selected);
  const detail = useApp((s) => s.detail);
  const dialog = useApp((s) => s.dialog);
  const alertsOpen = useAlerts((s) => s.panelOpen);

  const onSelect = useCallback((symbol: string) => void selectSymbol(symbol), []);
  const onRemove = useCallback(
    (symbol: string) => {
      if (!list) return;
      const index = list.symbols.indexOf(symbol);
      void attempt('watchlist:remove-symbols', { id: list.id, symbols: [symbol] }).then((updated) => {
        const remaining = updated?.symbols ?? [];
        if (remaining.length > 0) void selectSymbol(remaining[Math.min(index, remaining.length - 1)]!);
      });
    },
    [list],
  );

  return (
    <div className="app">
      <Toolbar dialect={dialect} />
      <ConnectionBanner />
      <main className="workspace">
        <section className="left">
          {list ? <QuoteGrid listId={list.id} name={list.name} columns={list.columns} symbols={list.symbols} dialect={dialect} selected={selected} onSelect={onSelect} onRemove={onRemove} /> : null}
        </section>
        <section className="right">
          {selected ? (
            <>
              <Chart symbol={selected} detail={detail} quoteId={levelOneId(selected, dialect)} />
              <div className="detail-row">
                <Book symbol={selected} dialect={dialect} />
                <TimeSales trades={detail?.symbol === selected ? detail.trades : []} derived={dialect === 'schwab'} />
              </div>
            </>
          ) : (
            <div className="panel hint">Select a symbol to see its chart, Level II book and time &amp; sales.</div>
          )}
          <Movers dialect={dialect} onPick={onSelect} />
        </section>
      </main>
      <StatusBar />
      <Messages />
      <AlertAnnouncer />
      {dialog === 'settings' ? <SettingsDialog /> : null}
      {dialog === 'csv' ? <CsvDialog /> : null}
      {dialog === 'about' ? <AboutDialog /> : null}
      {alertsOpen ? <AlertsPanel dialect={dialect} /> : null}
      {dialog === 'columns' ? <ColumnsDialog /> : null}
    </div>
  );
}
