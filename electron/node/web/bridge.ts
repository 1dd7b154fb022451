/**
 * The WebSocket bridge of browser mode: the same command/event contract the Electron preload
 * carries, as JSON messages. Every message is parsed against the contract's schemas here, once,
 * before it reaches the host.
 *
 * What a socket may send, and how it is closed otherwise (RFC 6455 §7.4.1 codes):
 * - text frames of valid UTF-8, each message at most MAX_MESSAGE_BYTES (1 MiB, enforced by the ws
 *   server's maxPayload): a larger one is closed with 1009 "message too big", invalid UTF-8 with
 *   1007, a binary frame with 1003;
 * - a message that is not a valid request is answered with an error and the socket stays open.
 * A protocol violation is the socket's problem only: it closes that socket and never the server.
 */
import type { WebSocket } from 'ws';
import { parseCall, type CommandArg, type CommandName, type EventName, type Events, type TapedeckApi } from '../../../shared/api.js';

export type BridgeHost = Pick<TapedeckApi, 'invoke'>;

/** The largest message a browser tab may send (requests are small; the limit bounds memory). */
export const MAX_MESSAGE_BYTES = 1 << 20;

/** Close codes the bridge uses (RFC 6455 §7.4.1). */
export const CLOSE = { unsupportedData: 1003, invalidPayload: 1007, tooBig: 1009 } as const;

interface InvokeMessage {
  t: 'invoke';
  id: number;
  name: CommandName;
  arg: CommandArg<CommandName>;
}

export type ParsedInvoke = { ok: true; message: InvokeMessage } | { ok: false; id: number | null; error: string };

export function parseInvoke(text: string): ParsedInvoke {
  if (text.length > MAX_MESSAGE_BYTES) return { ok: false, id: null, error: 'message too large' };
  let m: unknown;
  try {
    m = JSON.parse(text);
  } catch {
    return { ok: false, id: null, error: 'not JSON' };
  }
  if (typeof m !== 'object' || m === null) return { ok: false, id: null, error: 'not an object' };
  const { t, id, name, arg } = m as Record<string, unknown>;
  if (t !== 'invoke') return { ok: false, id: null, error: 'unknown message type' };
  if (typeof id !== 'number' || !Number.isSafeInteger(id)) return { ok: false, id: null, error: 'id must be an integer' };
  const call = parseCall(name, arg);
  return call.ok ? { ok: true, message: { t, id, name: call.name, arg: call.arg } } : { ok: false, id, error: call.error };
}

export function attachBridge(ws: WebSocket, host: BridgeHost): void {
  // ws reports a protocol violation (too big, invalid UTF-8, a bad frame) as 'error' after it has
  // begun closing the socket with the matching code (and destroys it if the peer never answers):
  // nothing is left to do but listen, since an 'error' nobody listens to would end the process.
  ws.on('error', () => undefined);
  ws.on('message', (data, isBinary) => {
    if (isBinary) return ws.close(CLOSE.unsupportedData, 'text only');
    const parsed = parseInvoke(data.toString());
    if (!parsed.ok) {
      send(ws, parsed.id === null ? { t: 'error', error: parsed.error } : { t: 'result', id: parsed.id, ok: false, error: parsed.error });
      return;
    }
    const { id, name, arg } = parsed.message;
    host.invoke(name, arg as never).then(
      (value) => send(ws, { t: 'result', id, ok: true, value }),
      (err: unknown) => send(ws, { t: 'result', id, ok: false, error: err instanceof Error ? err.message : String(err) }),
    );
  });
}

function send(ws: WebSocket, message: unknown): void {
  if (ws.readyState === ws.OPEN) ws.send(JSON.stringify(message));
}

/** Pushes one event to every open bridge socket, serialised once. */
export function broadcast<K extends EventName>(sockets: Iterable<WebSocket>, name: K, payload: Events[K]): void {
  const text = JSON.stringify({ t: 'event', name, payload });
  for (const ws of sockets) {
    // A browser tab that cannot keep up must not make the server buffer without bound.
    if (ws.readyState === ws.OPEN && ws.bufferedAmount < 16 * 1024 * 1024) ws.send(text);
  }
}
