/** The Electron main process: a thin shell around the host worker and the renderer. */
import { app, BrowserWindow } from 'electron';
import { dirname, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { HostClient } from '../node/host/host-client.js';
import { setupAlertNotifications } from './alert-notifications.js';
import { registerAppScheme, serveRenderer } from './app-protocol.js';
import { startHost } from './host.js';
import { setupIpc } from './ipc.js';
import { setupMenu } from './menu.js';
import { setupSecurity } from './security.js';
import { createMainWindow } from './window.js';

const distDir = resolveDist();
let mainWindow: BrowserWindow | null = null;
let host: HostClient | null = null;

function resolveDist(): string {
  // dist/electron/main.js → dist/
  return join(dirname(fileURLToPath(import.meta.url)), '..');
}

if (!app.requestSingleInstanceLock()) app.quit();
setupSecurity();
registerAppScheme();

app.on('second-instance', () => {
  if (mainWindow?.isMinimized()) mainWindow.restore();
  mainWindow?.focus();
});

app.whenReady().then(async () => {
  serveRenderer(join(distDir, 'renderer'));
  host = await startHost(distDir, () => mainWindow);
  setupIpc(host, () => BrowserWindow.getAllWindows());
  setupMenu(host, () => mainWindow);
  setupAlertNotifications(host, () => {
    if (mainWindow?.isMinimized()) mainWindow.restore();
    mainWindow?.show();
    mainWindow?.focus();
  });
  mainWindow = createMainWindow(distDir);
  mainWindow.on('closed', () => (mainWindow = null));
});

app.on('window-all-closed', () => app.quit());

let closing = false;
app.on('before-quit', (event) => {
  if (closing || !host) return;
  // Flush the recorder and log out before the process goes.
  event.preventDefault();
  closing = true;
  void host.close().finally(() => app.quit());
});
