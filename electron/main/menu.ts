/** File → Export database…, Quit; Help → About (versions and the database path). */
import { app, dialog, Menu, type BrowserWindow } from 'electron';
import type { HostClient } from '../node/host/host-client.js';

export function setupMenu(host: HostClient, mainWindow: () => BrowserWindow | null): void {
  const exportDb = async () => {
    const r = await host.invoke('export:database', null).catch((err: Error) => ({ ok: false, message: err.message, location: null }));
    const win = mainWindow();
    const opts = { type: r.ok ? ('info' as const) : ('warning' as const), message: r.message, buttons: ['OK'] };
    if (win) await dialog.showMessageBox(win, opts);
    else await dialog.showMessageBox(opts);
  };
  const about = async () => {
    const info = await host.invoke('app:about', null);
    const versions = Object.entries(info.versions).map(([k, v]) => `${k} ${v}`).join('\n');
    const opts = {
      type: 'info' as const,
      title: 'About Tapedeck',
      message: `Tapedeck ${info.version}`,
      detail: `${versions}\n\nDatabase: ${info.dbPath}\nSettings: ${info.userDataPath}\n\nCharts by TradingView Lightweight Charts™.`,
      buttons: ['OK'],
    };
    const win = mainWindow();
    if (win) await dialog.showMessageBox(win, opts);
    else await dialog.showMessageBox(opts);
  };
  const menu = Menu.buildFromTemplate([
    ...(process.platform === 'darwin' ? [{ role: 'appMenu' as const }] : []),
    {
      label: 'File',
      submenu: [
        { label: 'Export database…', accelerator: 'CmdOrCtrl+E', click: () => void exportDb() },
        { type: 'separator' },
        { label: 'Quit', accelerator: 'CmdOrCtrl+Q', click: () => app.quit() },
      ],
    },
    { role: 'editMenu' },
    { role: 'viewMenu' },
    { label: 'Help', submenu: [{ label: 'About Tapedeck', click: () => void about() }] },
  ]);
  Menu.setApplicationMenu(menu);
}
