/**
 * The one IPC choke point: every call is checked (sender window, frame origin, command name,
 * argument) before it reaches the host; host events are queued until the renderer says it is ready,
 * so nothing pushed before React mounts is lost.
 */
import { ipcMain, type BrowserWindow } from 'electron';
import type { EventName, Events } from '../../shared/api.js';
import { IPC_CHANNELS } from '../../shared/ipc-channels.js';
import type { HostClient } from '../node/host/host-client.js';
import { decideInvoke } from './ipc-policy.js';

const { invoke: INVOKE_CHANNEL, event: EVENT_CHANNEL, ready: READY_CHANNEL } = IPC_CHANNELS;

export function setupIpc(host: HostClient, windows: () => BrowserWindow[]): void {
  const ready = new WeakSet<Electron.WebContents>();
  const queued = new Map<Electron.WebContents, [EventName, unknown][]>();
  const ours = (wc: Electron.WebContents) => windows().some((w) => !w.isDestroyed() && w.webContents === wc);

  ipcMain.handle(INVOKE_CHANNEL, async (event, name: unknown, arg: unknown) => {
    const decision = decideInvoke({ senderIsOurWindow: ours(event.sender), frameUrl: event.senderFrame?.url ?? null, name, arg });
    if (!decision.ok) throw new Error(decision.error);
    return host.invoke(decision.name, decision.arg);
  });

  ipcMain.on(READY_CHANNEL, (event) => {
    if (!ours(event.sender)) return;
    ready.add(event.sender);
    for (const [name, payload] of queued.get(event.sender) ?? []) event.sender.send(EVENT_CHANNEL, name, payload);
    queued.delete(event.sender);
  });

  host.on(<K extends EventName>(name: K, payload: Events[K]) => {
    for (const w of windows()) {
      if (w.isDestroyed()) continue;
      const wc = w.webContents;
      if (ready.has(wc)) wc.send(EVENT_CHANNEL, name, payload);
      else if (name !== 'engine:quotes') {
        // Quotes before the first paint are superseded by the snapshot the renderer loads.
        const list = queued.get(wc) ?? [];
        list.push([name, payload]);
        queued.set(wc, list.slice(-200));
      }
    }
  });
}
