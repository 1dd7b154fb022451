/**
 * The embedded broker login: the authorize page in its own window on a fresh, non-persistent
 * session partition, with no preload and no Node. The redirect to the configured callback is
 * caught in main (exact scheme, host, port and path) and never loads; the host checks the state
 * and exchanges the code. The window may use https only (http only to a loopback authorize page
 * the user configured, login-policy.ts), is refused every permission, and opens no windows.
 */
import { BrowserWindow, session } from 'electron';
import { randomUUID } from 'node:crypto';
import { isCallbackUrl } from '../node/auth/oauth-flow.js';
import { loginUrlAllowed } from './login-policy.js';
import { loginContents } from './security.js';

export function openLoginWindow(authorizeUrl: string, callbackUrl: string, parent?: BrowserWindow): Promise<string | null> {
  if (!loginUrlAllowed(authorizeUrl, authorizeUrl)) {
    return Promise.reject(new Error('the authorize address must use https (plain http only on this machine): change it in Settings'));
  }
  return new Promise((resolve) => {
    const partition = `login-${randomUUID()}`;
    const ses = session.fromPartition(partition, { cache: false });
    ses.setPermissionRequestHandler((_wc, _p, cb) => cb(false));
    ses.setPermissionCheckHandler(() => false);
    const win = new BrowserWindow({
      width: 520,
      height: 720,
      parent,
      title: 'Log in',
      autoHideMenuBar: true,
      webPreferences: { partition, contextIsolation: true, sandbox: true, nodeIntegration: false, webSecurity: true },
    });
    const allowed = (url: string) => loginUrlAllowed(url, authorizeUrl);
    loginContents.set(win.webContents, allowed);
    let settled = false;
    const finish = (url: string | null) => {
      if (settled) return;
      settled = true;
      resolve(url);
      if (!win.isDestroyed()) win.close();
    };
    ses.webRequest.onBeforeRequest({ urls: ['*://*/*'] }, (details, callback) => {
      if (isCallbackUrl(details.url, callbackUrl)) {
        callback({ cancel: true });
        finish(details.url);
      } else callback({ cancel: !allowed(details.url) });
    });
    const intercept = (event: { preventDefault(): void }, url: string) => {
      if (!isCallbackUrl(url, callbackUrl)) return;
      event.preventDefault();
      finish(url);
    };
    win.webContents.on('will-redirect', intercept);
    win.webContents.on('will-navigate', intercept);
    win.on('closed', () => finish(null));
    void win.loadURL(authorizeUrl);
  });
}
