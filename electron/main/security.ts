/** App-wide Electron security: navigation, new windows, webviews and permissions (Electron security checklist). */
import { app, session, shell, type WebContents } from 'electron';
import { externalUrlToOpen, isAllowedLoginNavigation, isAllowedNavigation } from './navigation-policy.js';

/** Login windows browse the broker's pages; they are registered here by login-window.ts. */
export const loginContents = new WeakSet<WebContents>();

function guard(contents: WebContents): void {
  const allowed = (url: string) => (loginContents.has(contents) ? isAllowedLoginNavigation(url) : isAllowedNavigation(url));
  const onNavigate = (event: { preventDefault(): void }, url: string) => {
    if (allowed(url)) return;
    event.preventDefault();
    const external = loginContents.has(contents) ? null : externalUrlToOpen(url);
    if (external) void shell.openExternal(external);
  };
  contents.on('will-navigate', onNavigate);
  contents.on('will-redirect', onNavigate);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalUrlToOpen(url);
    if (external) void shell.openExternal(external);
    return { action: 'deny' };
  });
}

export function setupSecurity(): void {
  app.on('web-contents-created', (_event, contents) => guard(contents));
  app.whenReady().then(() => {
    session.defaultSession.setPermissionRequestHandler((_wc, _permission, callback) => callback(false));
    session.defaultSession.setPermissionCheckHandler(() => false);
  });
}
