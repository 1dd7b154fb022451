/**
 * Browser mode: the API contract over a WebSocket to `tapedeck serve`. The server authenticated
 * this page with an HttpOnly cookie; the socket reconnects with backoff if the server goes away.
 */
import type { CommandArg, CommandName, CommandResult, EventName, Events, TapedeckApi } from '../../../shared/api.js';

type Listener = (payload: unknown) => void;

export interface BridgeState {
  connected: boolean;
}

export function createWsApi(onState: (s: BridgeState) => void): TapedeckApi {
  const listeners = new Map<string, Set<Listener>>();
  const pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  const queue: string[] = [];
  let ws: WebSocket | null = null;
  let nextId = 1;
  let delay = 250;

  const open = () => {
    const socket = new WebSocket(`${location.protocol === 'https:' ? 'wss' : 'ws'}://${location.host}/bridge`);
    ws = socket;
    socket.onopen = () => {
      delay = 250;
      onState({ connected: true });
      for (const m of queue.splice(0)) socket.send(m);
    };
    socket.onmessage = (e: MessageEvent<string>) => {
      const m = JSON.parse(e.data) as { t: string; id?: number; ok?: boolean; value?: unknown; error?: string; name?: string; payload?: unknown };
      if (m.t === 'result' && m.id !== undefined) {
        const p = pending.get(m.id);
        pending.delete(m.id);
        if (!p) return;
        if (m.ok) p.resolve(m.value);
        else p.reject(new Error(m.error ?? 'request failed'));
      } else if (m.t === 'event' && m.name) {
        for (const l of listeners.get(m.name) ?? []) l(m.payload);
      }
    };
    socket.onclose = () => {
      onState({ connected: false });
      for (const p of pending.values()) p.reject(new Error('Disconnected from Tapedeck server'));
      pending.clear();
      setTimeout(open, delay);
      delay = Math.min(delay * 2, 5000);
    };
  };
  open();

  return {
    invoke<K extends CommandName>(name: K, arg: CommandArg<K>): Promise<CommandResult<K>> {
      const id = nextId++;
      const text = JSON.stringify({ t: 'invoke', id, name, arg });
      return new Promise((resolve, reject) => {
        pending.set(id, { resolve: resolve as (v: unknown) => void, reject });
        if (ws?.readyState === WebSocket.OPEN) ws.send(text);
        else queue.push(text);
      });
    },
    on<K extends EventName>(name: K, listener: (payload: Events[K]) => void): () => void {
      const set = listeners.get(name) ?? new Set();
      set.add(listener as Listener);
      listeners.set(name, set);
      return () => set.delete(listener as Listener);
    },
  };
}
