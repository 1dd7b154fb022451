/** The main window: isolated, sandboxed, no Node; remembers its bounds. */
import { app, BrowserWindow, screen } from 'electron';
import { join } from 'node:path';
import { readJsonFile, writeJsonFile } from '../node/host/json-file.js';
import { APP_ORIGIN } from './navigation-policy.js';

interface Bounds {
  x?: number;
  y?: number;
  width: number;
  height: number;
}

function savedBounds(path: string): Bounds {
  const raw = readJsonFile(path, () => undefined) as Partial<Bounds> | undefined;
  const area = screen.getPrimaryDisplay().workAreaSize;
  const width = typeof raw?.width === 'number' ? Math.min(raw.width, area.width) : Math.min(1440, area.width);
  const height = typeof raw?.height === 'number' ? Math.min(raw.height, area.height) : Math.min(900, area.height);
  return { x: typeof raw?.x === 'number' ? raw.x : undefined, y: typeof raw?.y === 'number' ? raw.y : undefined, width, height };
}

export function createMainWindow(distDir: string): BrowserWindow {
  const statePath = join(app.getPath('userData'), 'window-state.json');
  const win = new BrowserWindow({
    ...savedBounds(statePath),
    minWidth: 900,
    minHeight: 560,
    backgroundColor: '#0b1016',
    title: 'Tapedeck',
    show: false,
    webPreferences: {
      preload: join(distDir, 'electron', 'preload.cjs'),
      contextIsolation: true,
      sandbox: true,
      nodeIntegration: false,
      webSecurity: true,
      spellcheck: false,
    },
  });
  win.once('ready-to-show', () => win.show());
  win.on('close', () => writeJsonFile(statePath, win.getBounds()));
  void win.loadURL(`${APP_ORIGIN}/index.html`);
  return win;
}
