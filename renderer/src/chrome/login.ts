/** Starting a broker login from anywhere in the window (Settings, the "Log in again" banner). */
import { attempt } from '../api/instance.js';
import { pushMessage } from '../store/app.js';

export async function startLogin(): Promise<void> {
  const r = await attempt('auth:login', null);
  if (!r) return;
  if (r.kind === 'browser') {
    window.open(r.url, '_blank', 'noopener');
    pushMessage({ level: 'info', text: 'Complete the login in the new browser tab.', at: Date.now() });
  } else if (r.kind === 'window') pushMessage({ level: 'info', text: 'Complete the login in the broker window.', at: Date.now() });
  else pushMessage({ level: 'info', text: r.reason, at: Date.now() });
}
