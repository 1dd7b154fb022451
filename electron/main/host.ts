/** Starts the host worker (engine, recorder, settings) with the platform services only main has. */
import { app, BrowserWindow, dialog } from 'electron';
import { existsSync } from 'node:fs';
import { join, resolve } from 'node:path';
import { HostClient } from '../node/host/host-client.js';
import { openLoginWindow } from './login-window.js';
import { electronBindingPath } from './native-binding-path.js';
import { createSecretStore } from './secret-store.js';

/** Packaged apps ship node_modules rebuilt for Electron; from a checkout the Electron-ABI build lives aside. */
function nativeBinding(distDir: string): string | undefined {
  if (app.isPackaged) return undefined;
  const path = electronBindingPath(resolve(distDir, '..'), process.versions.electron, process.arch);
  if (!existsSync(path)) {
    dialog.showErrorBox('Tapedeck', `The SQLite module for Electron is missing (${path}).\nRun 'npm start', which builds it.`);
    app.exit(1);
  }
  return path;
}

export async function startHost(distDir: string, mainWindow: () => BrowserWindow | null): Promise<HostClient> {
  const client = new HostClient(
    join(distDir, 'host-worker.js'),
    {
      userDataPath: app.getPath('userData'),
      appVersion: app.getVersion(),
      versions: { electron: process.versions.electron, chrome: process.versions.chrome, node: process.versions.node, v8: process.versions.v8 },
      nativeBinding: nativeBinding(distDir),
    },
    {
      secrets: createSecretStore(),
      chooseExportTarget: async (name) => {
        const win = mainWindow();
        const opts = { defaultPath: join(app.getPath('documents'), name), filters: name.endsWith('.csv') ? [{ name: 'CSV', extensions: ['csv'] }] : [{ name: 'SQLite database', extensions: ['db', 'sqlite'] }] };
        const r = win ? await dialog.showSaveDialog(win, opts) : await dialog.showSaveDialog(opts);
        return r.canceled || !r.filePath ? null : { path: r.filePath, location: r.filePath };
      },
      openLogin: (url, callback) => openLoginWindow(url, callback, mainWindow() ?? undefined),
    },
  );
  await client.ready;
  return client;
}
