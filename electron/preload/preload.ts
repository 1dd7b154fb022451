/**
 * The preload: exposes exactly the API contract (invoke, on) and nothing of Node or Electron.
 * `satisfies TapedeckApi` makes any drift from shared/api.ts a compile error.
 */
import { contextBridge, ipcRenderer, type IpcRendererEvent } from 'electron';
import type { CommandArg, CommandName, CommandResult, EventName, Events, TapedeckApi } from '../../shared/api.js';
import { IPC_CHANNELS } from '../../shared/ipc-channels.js';

const { invoke: INVOKE_CHANNEL, event: EVENT_CHANNEL, ready: READY_CHANNEL } = IPC_CHANNELS;

let readySent = false;

const api = {
  invoke<K extends CommandName>(name: K, arg: CommandArg<K>): Promise<CommandResult<K>> {
    return ipcRenderer.invoke(INVOKE_CHANNEL, name, arg) as Promise<CommandResult<K>>;
  },
  on<K extends EventName>(name: K, listener: (payload: Events[K]) => void): () => void {
    const handler = (_e: IpcRendererEvent, eventName: string, payload: unknown) => {
      if (eventName === name) listener(payload as Events[K]);
    };
    ipcRenderer.on(EVENT_CHANNEL, handler);
    // The first subscription means the renderer is listening: main may flush what it queued.
    if (!readySent) {
      readySent = true;
      queueMicrotask(() => ipcRenderer.send(READY_CHANNEL));
    }
    return () => {
      ipcRenderer.removeListener(EVENT_CHANNEL, handler);
    };
  },
} satisfies TapedeckApi;

contextBridge.exposeInMainWorld('tapedeck', api);
