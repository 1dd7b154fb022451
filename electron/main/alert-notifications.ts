/**
 * Alert firings as system notifications with a sound. The host evaluates alerts and pushes
 * `alert:fired` to the shell like every event, so this works with the window hidden or minimised;
 * clicking the notification brings the window back.
 */
import { Notification, shell } from 'electron';
import type { EventName, Events } from '../../shared/api.js';
import type { HostClient } from '../node/host/host-client.js';

export function setupAlertNotifications(host: HostClient, showWindow: () => void): void {
  host.on(<K extends EventName>(name: K, payload: Events[K]) => {
    if (name !== 'alert:fired') return;
    const firing = payload as Events['alert:fired'];
    if (Notification.isSupported()) {
      // Silent: the one sound is the beep below, also where notifications are off.
      const n = new Notification({ title: 'Tapedeck alert', body: `${firing.text} — value ${firing.value}`, silent: true });
      n.on('click', showWindow);
      n.show();
    }
    shell.beep();
  });
}
