/** App-wide Electron security: navigation, new windows, webviews and permissions (Electron security checklist). */
import { app, session, shell, type WebContents } from 'electron';
import { externalTarget, isAllowedNavigation } from './navigation-policy.js';

/**
 * Login windows browse the broker's pages under their own policy (login-policy.ts); login-window.ts
 * registers each one here with the URL check for its login.
 */
export const loginContents = new WeakMap<WebContents, (url: string) => boolean>();

function guard(contents: WebContents): void {
  // Looked up at event time: the login window registers itself just after it is created.
  const allowed = (url: string) => (loginContents.get(contents) ?? isAllowedNavigation)(url);
  const onNavigate = (event: { preventDefault(): void }, url: string) => {
    if (allowed(url)) return;
    event.preventDefault();
    const external = externalTarget(url, loginContents.has(contents));
    if (external) void shell.openExternal(external);
  };
  contents.on('will-navigate', onNavigate);
  contents.on('will-redirect', onNavigate);
  contents.on('will-attach-webview', (event) => event.preventDefault());
  // No window ever opens another Electron window.
  contents.setWindowOpenHandler(({ url }) => {
    const external = externalTarget(url, loginContents.has(contents));
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
