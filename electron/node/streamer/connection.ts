/**
 * One streamer WebSocket: open, LOGIN, one command at a time with its acknowledgement, a silence
 * watchdog, and a single reason why it ended. Reconnecting is the streamer client's job, not this one's.
 *
 * Every message goes to the owner as received (onFrame), which archives it before decoding it and
 * hands back what it decoded; nothing in a message can end the connection: binary frames and text
 * that is not valid UTF-8 are handed on too (ws would close the socket on the latter, so its check
 * is off and the bytes are checked here), and a failure while handling one is contained to it.
 */
import { isUtf8 } from 'node:buffer';
import WebSocket from 'ws';
import type { DecodedFrame, StreamResponse } from '../../../shared/market.js';
import type { Dialect } from '../../../shared/protocol/services.js';
import type { StreamerLogin } from '../provider/types.js';
import { webSocketTrust } from '../net/tls-trust.js';
import { encodeRequest, type StreamCommand } from './requests.js';

export type CloseReason =
  | { kind: 'logout' }
  | { kind: 'stopped' }
  | { kind: 'dropped'; code: number; detail: string }
  | { kind: 'silent'; ms: number }
  | { kind: 'notice'; code: number; msg: string }
  | { kind: 'error'; message: string };

export function describeCloseReason(r: CloseReason): string {
  switch (r.kind) {
    case 'logout':
      return 'logged out';
    case 'stopped':
      return 'stopped';
    case 'dropped':
      return `connection dropped (close code ${r.code}${r.detail ? `: ${r.detail}` : ''})`;
    case 'silent':
      return `no data or heartbeat for ${Math.round(r.ms / 1000)} s`;
    case 'notice':
      return `server closed the stream (code ${r.code}: ${r.msg})`;
    case 'error':
      return r.message;
  }
}

/** One WebSocket message as received. */
export interface SocketFrame {
  receivedAt: number;
  /** The text of a text frame (invalid UTF-8 sequences as U+FFFD); '' for a binary frame. */
  text: string;
  /** The bytes, when text cannot hold them: a binary frame, or a text frame that is not valid UTF-8; else null. */
  bytes: Uint8Array | null;
  binary: boolean;
}

export interface ConnectionOptions {
  dialect: Dialect;
  login: StreamerLogin;
  /** Archives, decodes and applies one message; returns what it decoded (for acknowledgements and notices), or null. */
  onFrame: (frame: SocketFrame) => DecodedFrame | null;
  /** A socket with nothing received for this long is treated as dead (heartbeats come every ~10 s). */
  silenceTimeoutMs: number;
  commandTimeoutMs: number;
}

interface Pending {
  requestId: string;
  resolve: (r: StreamResponse) => void;
  reject: (e: Error) => void;
  timer: NodeJS.Timeout;
}

/** Notice codes after which the server closes the stream (docs/protocol/schwab.md §4.2, docs/protocol/tdameritrade.md §4.3). */
const CLOSING_NOTICES = new Set([12, 30]);
/** How long logging out waits for the server's answer before closing anyway. */
export const LOGOUT_WAIT_MS = 2_000;

export class StreamerConnection {
  private ws: WebSocket | null = null;
  private nextRequestId = 0;
  private readonly pending = new Map<string, Pending>();
  private queue: Promise<unknown> = Promise.resolve();
  private lastReceivedAt = 0;
  private watchdog: NodeJS.Timeout | null = null;
  private reason: CloseReason | null = null;
  private resolveClosed!: (r: CloseReason) => void;
  /** Settles once, with the first reason the connection ended. */
  readonly closed: Promise<CloseReason> = new Promise((resolve) => (this.resolveClosed = resolve));

  constructor(private readonly opts: ConnectionOptions) {}

  open(): Promise<void> {
    return new Promise((resolve, reject) => {
      // skipUTF8Validation: a text frame that is not UTF-8 is archived as bytes and reported, not a reason to drop the socket.
      const ws = new WebSocket(this.opts.login.url, { handshakeTimeout: this.opts.commandTimeoutMs, skipUTF8Validation: true, ...webSocketTrust() });
      this.ws = ws;
      let opened = false;
      ws.on('open', () => {
        opened = true;
        this.lastReceivedAt = Date.now();
        this.startWatchdog();
        resolve();
      });
      ws.on('message', (data, isBinary) => {
        const receivedAt = Date.now();
        this.lastReceivedAt = receivedAt;
        this.handleMessage(toBuffer(data), isBinary, receivedAt);
      });
      ws.on('error', (err) => {
        if (!opened) reject(new Error(`cannot open the streamer socket ${this.opts.login.url}: ${err.message}`));
        else this.finish({ kind: 'error', message: `socket error: ${err.message}` });
      });
      ws.on('close', (code, reasonBuf) => {
        if (!opened) reject(new Error(`the streamer socket ${this.opts.login.url} closed during the handshake`));
        this.finish({ kind: 'dropped', code, detail: reasonBuf.toString() });
      });
    });
  }

  private handleMessage(data: Buffer, binary: boolean, receivedAt: number): void {
    let decoded: DecodedFrame | null;
    try {
      const frame: SocketFrame = binary
        ? { receivedAt, text: '', bytes: data, binary }
        : { receivedAt, text: data.toString('utf8'), bytes: isUtf8(data) ? null : data, binary };
      decoded = this.opts.onFrame(frame);
    } catch {
      // The owner reports its own failures; this only keeps one bad message from ending the connection.
      decoded = null;
    }
    if (!decoded) return;
    for (const response of decoded.responses) {
      const pending = this.pending.get(response.requestId);
      if (!pending) continue;
      this.pending.delete(response.requestId);
      clearTimeout(pending.timer);
      pending.resolve(response);
    }
    for (const notice of decoded.notices) {
      if (CLOSING_NOTICES.has(notice.code)) this.close({ kind: 'notice', code: notice.code, msg: notice.msg });
    }
  }

  /**
   * Fires when the socket has been quiet for exactly the timeout: each wake-up sleeps until the last
   * frame is that old, so a silent socket is declared dead on time, not up to a polling period late.
   */
  private startWatchdog(): void {
    const check = () => {
      const quiet = Date.now() - this.lastReceivedAt;
      if (quiet >= this.opts.silenceTimeoutMs) {
        this.watchdog = null;
        this.finish({ kind: 'silent', ms: quiet });
        this.ws?.terminate();
        return;
      }
      this.watchdog = setTimeout(check, Math.max(10, this.opts.silenceTimeoutMs - quiet));
      this.watchdog.unref();
    };
    this.watchdog = setTimeout(check, this.opts.silenceTimeoutMs);
    this.watchdog.unref();
  }

  /** Sends one command after the previous one has been answered (docs/protocol/schwab.md §8: no parallel commands). */
  request(cmd: StreamCommand): Promise<StreamResponse> {
    const run = () => this.sendNow(cmd);
    const result = this.queue.then(run, run);
    this.queue = result.catch(() => undefined);
    return result;
  }

  private sendNow(cmd: StreamCommand): Promise<StreamResponse> {
    return new Promise((resolve, reject) => {
      if (this.reason || !this.ws || this.ws.readyState !== WebSocket.OPEN) {
        reject(new Error(`cannot send ${cmd.service} ${cmd.command}: the connection is closed`));
        return;
      }
      const requestId = String(this.nextRequestId++);
      const timer = setTimeout(() => {
        this.pending.delete(requestId);
        reject(new Error(`no answer to ${cmd.service} ${cmd.command} within ${this.opts.commandTimeoutMs} ms`));
      }, this.opts.commandTimeoutMs);
      this.pending.set(requestId, { requestId, resolve, reject, timer });
      this.ws.send(encodeRequest(this.opts.dialect, requestId, cmd, this.opts.login.requestIds));
    });
  }

  login(): Promise<StreamResponse> {
    return this.request({ service: 'ADMIN', command: 'LOGIN', parameters: this.opts.login.loginParameters });
  }

  /**
   * LOGOUT and wait briefly (LOGOUT_WAIT_MS, not the command timeout) for the answer; then close
   * from our side regardless: a server gone silent must not hold up Ctrl-C or quitting the app.
   */
  async logout(): Promise<void> {
    if (this.reason) return;
    let timer: NodeJS.Timeout | undefined;
    try {
      await Promise.race([
        this.request({ service: 'ADMIN', command: 'LOGOUT', parameters: {} }),
        new Promise((resolve) => (timer = setTimeout(resolve, LOGOUT_WAIT_MS))),
      ]);
    } catch {
      // Already gone or not answering: closing below is all that is left to do.
    } finally {
      clearTimeout(timer);
    }
    this.close({ kind: 'logout' });
  }

  close(reason: CloseReason): void {
    this.finish(reason);
    if (this.ws && this.ws.readyState !== WebSocket.CLOSED) {
      this.ws.close(1000);
      // A peer that never completes the closing handshake must not keep us waiting.
      setTimeout(() => this.ws?.terminate(), 1000).unref();
    }
  }

  private finish(reason: CloseReason): void {
    if (this.reason) return;
    this.reason = reason;
    if (this.watchdog) clearTimeout(this.watchdog);
    for (const p of this.pending.values()) {
      clearTimeout(p.timer);
      p.reject(new Error(`connection ended: ${describeCloseReason(reason)}`));
    }
    this.pending.clear();
    this.resolveClosed(reason);
  }

  get isOpen(): boolean {
    return this.reason === null && this.ws?.readyState === WebSocket.OPEN;
  }
}

/** ws hands a message as one Buffer by default; fragments or an ArrayBuffer only with other binaryType settings. */
function toBuffer(data: WebSocket.RawData): Buffer {
  if (Buffer.isBuffer(data)) return data;
  if (Array.isArray(data)) return Buffer.concat(data);
  return Buffer.from(data);
}
