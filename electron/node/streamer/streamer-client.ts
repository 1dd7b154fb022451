/**
 * The streamer client a trader can leave running all day (one per engine; each socket it opens is
 * a connection, numbered 1, 2, … by this client, and that number follows the connection into the
 * recorder's `sessions` row): connects, logs in (refreshing the
 * token when LOGIN is denied once), re-subscribes exactly the current subscription set once per
 * connection, and reconnects after drops and silent sockets by the reconnect policy
 * (reconnect-policy.ts: a connection that logged in and received data resets the backoff).
 * It stops for good, and says why, when retrying cannot help: login denied twice, or another
 * login for the same user (code 12).
 */
import type { DecodedFrame } from '../../../shared/market.js';
import { serviceSpec, type Dialect } from '../../../shared/protocol/services.js';
import type { StreamerLogin, StreamerProvider } from '../provider/types.js';
import { Backoff } from './backoff.js';
import { describeCloseReason, StreamerConnection, type CloseReason, type SocketFrame } from './connection.js';
import { RECONNECT_POLICY } from './reconnect-policy.js';
import { fieldList, type CommandName } from './requests.js';
import type { ConnectionLog, ConnectionState, ConnectionStatus, StreamerEvent } from './streamer-events.js';
import { SubscriptionSet } from './subscriptions.js';

export interface StreamerClientOptions {
  provider: StreamerProvider;
  /** Archives, decodes and applies one message as received; returns what it decoded, or null (connection.ts). */
  onFrame: (frame: SocketFrame & { connectionId: number }) => DecodedFrame | null;
  onEvent: (event: StreamerEvent) => void;
  connectionLog?: ConnectionLog;
  silenceTimeoutMs?: number;
  commandTimeoutMs?: number;
  /** Tests only: other backoff numbers than RECONNECT_POLICY's. */
  backoff?: { initialMs: number; maxMs: number };
  /** A connection up this long resets the backoff even without data (default RECONNECT_POLICY.stableAfterMs). */
  stableAfterMs?: number;
  /** TD only: QOS level 0-5 sent after login (docs/protocol/tdameritrade.md §3.4). */
  qosLevel?: number;
  /** Give up when the very first connection fails (the CLI wants a clear error, not a retry loop). */
  failFastOnFirstConnect?: boolean;
}

/** A LOGIN refusal as the server phrased it. */
interface Denial {
  code: number;
  message: string;
}

type Fatal = { kind: 'fatal'; message: string; loginRequired?: boolean };

/** True for an error that says the saved login is no longer accepted (auth's LoginRequiredError). */
function needsLogin(err: unknown): boolean {
  return typeof err === 'object' && err !== null && (err as { loginRequired?: unknown }).loginRequired === true;
}

/** Codes after which retrying with the same request cannot help (docs/protocol/schwab.md §4.2). */
const REJECTED_CODES = new Set([11, 21, 22, 23, 24, 25]);

export class StreamerClient {
  readonly subscriptions = new SubscriptionSet();
  private readonly dialect: Dialect;
  private conn: StreamerConnection | null = null;
  private connectionId = 0;
  /** The one place the connection's state lives; the engine's status reads it. */
  private current: ConnectionStatus = { connection: 'idle', detail: null, retryAt: null };
  private stopping = false;
  private live = false;
  private everStreamed = false;
  private reconnects = 0;
  private wake: (() => void) | null = null;
  private loop: Promise<void> | null = null;
  private readonly backoff: Backoff;

  constructor(private readonly opts: StreamerClientOptions) {
    this.dialect = opts.provider.dialect;
    this.backoff = new Backoff(opts.backoff);
  }

  /** The connection's state, why it is in it, and (while waiting) when the next attempt starts. */
  get connection(): ConnectionStatus {
    return { ...this.current };
  }

  get reconnectCount(): number {
    return this.reconnects;
  }

  start(): void {
    if (!this.loop) this.loop = this.run();
  }

  /** Logs out, closes the socket and ends the connection (its sessions row); resolves when the loop has ended. */
  async stop(): Promise<void> {
    this.stopping = true;
    this.wake?.();
    const conn = this.conn;
    if (conn?.isOpen) await conn.logout();
    else conn?.close({ kind: 'stopped' });
    await this.loop;
    this.setState('stopped');
  }

  // ---- subscription control (works connected or not) ----

  subscribe(service: string, keys: readonly string[], fields?: readonly number[]): void {
    const spec = this.requireService(service);
    const wanted = fields ?? this.subscriptions.fields(service) ?? spec.allFieldIds;
    const isNewService = !this.subscriptions.has(service);
    const added = this.subscriptions.add(service, keys, wanted);
    if (added.length === 0) return;
    // SUBS would replace the service's keys on the server; ADD appends (docs/protocol/schwab.md §3.6).
    this.sendLive(isNewService ? 'SUBS' : 'ADD', service, added, this.subscriptions.fields(service) ?? wanted);
    if (this.current.connection === 'idle') this.wake?.();
  }

  unsubscribe(service: string, keys: readonly string[]): void {
    const removed = this.subscriptions.remove(service, keys);
    if (removed.length > 0) this.sendLive('UNSUBS', service, removed, null);
  }

  setFields(service: string, fields: readonly number[]): void {
    if (!this.subscriptions.setFields(service, fields)) return;
    const keys = this.subscriptions.list().find((s) => s.service === service)?.keys ?? [];
    this.sendLive('VIEW', service, keys, fields);
  }

  private requireService(service: string) {
    const spec = serviceSpec(this.dialect, service);
    if (!spec) throw new Error(`${service} is not a ${this.dialect} streamer service`);
    return spec;
  }

  private sendLive(command: CommandName, service: string, keys: string[], fields: readonly number[] | null): void {
    const conn = this.conn;
    if (!this.live || !conn?.isOpen) return;
    void this.command(conn, command, service, keys, fields);
  }

  private async command(
    conn: StreamerConnection,
    command: CommandName,
    service: string,
    keys: string[],
    fields: readonly number[] | null,
  ): Promise<void> {
    const parameters: Record<string, string> = { keys: keys.join(',') };
    if (fields) parameters.fields = fieldList(fields);
    try {
      const res = await conn.request({ service, command, parameters });
      if (res.code !== 0) this.rejected(command, service, keys, res.code, res.msg);
    } catch (err) {
      // The connection ended underneath the command; the re-subscription on reconnect covers it.
      if (conn.isOpen) this.rejected(command, service, keys, -1, (err as Error).message);
    }
  }

  private rejected(command: string, service: string, keys: string[], code: number, message: string): void {
    this.opts.onEvent({ type: 'subscription-error', service, command, keys, code, message });
    // A request the server rejects outright would be rejected again on every reconnect.
    if (REJECTED_CODES.has(code) && command !== 'UNSUBS' && command !== 'VIEW') this.subscriptions.remove(service, keys);
  }

  // ---- the connection loop ----

  private setState(state: ConnectionState, extra: { detail?: string; retryInMs?: number } = {}): void {
    const keepDetail = extra.detail === undefined && state !== 'streaming';
    this.current = {
      connection: state,
      detail: keepDetail ? this.current.detail : (extra.detail ?? null),
      retryAt: extra.retryInMs !== undefined ? Date.now() + extra.retryInMs : null,
    };
    this.opts.onEvent({ type: 'state', state, ...extra });
  }

  private async run(): Promise<void> {
    /** The denial a token refresh is answering, until the next LOGIN says whether it worked. */
    let deniedOnce: Denial | null = null;
    while (!this.stopping) {
      if (this.subscriptions.isEmpty) {
        // Nothing to stream: the server would end the stream with code 30 anyway (docs/protocol/schwab.md §8).
        this.setState('idle', { detail: 'no subscriptions' });
        await this.sleep(null);
        continue;
      }
      const outcome = await this.connectOnce(deniedOnce);
      if (this.stopping) break;
      if (outcome.kind === 'fatal') {
        this.setState('failed', { detail: outcome.message });
        this.opts.onEvent({ type: 'fatal', message: outcome.message, loginRequired: outcome.loginRequired === true });
        return;
      }
      if (outcome.kind === 'denied') {
        deniedOnce = outcome.denial;
        continue; // retry at once with the refreshed token
      }
      deniedOnce = null;
      const wait = this.backoff.next();
      this.setState('waiting', { detail: outcome.message, retryInMs: wait });
      await this.sleep(wait);
    }
  }

  private sleep(ms: number | null): Promise<void> {
    return new Promise((resolve) => {
      const timer = ms === null ? null : setTimeout(done, ms);
      function done() {
        if (timer) clearTimeout(timer);
        resolve();
      }
      this.wake = () => {
        this.wake = null;
        done();
      };
    });
  }

  /** `deniedOnce`: the LOGIN denial this attempt follows, after a token refresh, if it does. */
  private async connectOnce(
    deniedOnce: Denial | null,
  ): Promise<{ kind: 'retry'; message: string } | { kind: 'denied'; denial: Denial } | Fatal> {
    const opts = this.opts;
    this.setState('connecting');
    let conn: StreamerConnection;
    let login: StreamerLogin;
    const connectionId = ++this.connectionId;
    // Logged in and received market data: the connection was healthy, whatever ends it (reconnect-policy.ts).
    let loggedIn = false;
    let healthy = false;
    const proven = () => {
      if (healthy) return;
      healthy = true;
      this.backoff.reset();
    };
    try {
      login = await opts.provider.streamerLogin();
      conn = new StreamerConnection({
        dialect: this.dialect,
        login,
        onFrame: (frame) => {
          const decoded = opts.onFrame({ ...frame, connectionId });
          // Market data after a login proves the connection: the backoff starts again from its shortest wait.
          if (loggedIn && decoded && decoded.updates.length > 0) proven();
          return decoded;
        },
        silenceTimeoutMs: opts.silenceTimeoutMs ?? 30_000,
        commandTimeoutMs: opts.commandTimeoutMs ?? 10_000,
      });
      this.conn = conn;
      await conn.open();
      if (this.stopping) {
        conn.close({ kind: 'stopped' });
        return { kind: 'retry', message: 'stopped' };
      }
      opts.connectionLog?.begin({ connectionId, url: login.url, startedAt: Date.now() });
    } catch (err) {
      const message = (err as Error).message;
      // The broker refused the saved login: retrying cannot help, a new login can.
      if (needsLogin(err)) return { kind: 'fatal', message, loginRequired: true };
      if (!this.everStreamed && opts.failFastOnFirstConnect) return { kind: 'fatal', message };
      return { kind: 'retry', message };
    }
    const end = (reason: string) => opts.connectionLog?.end(connectionId, reason, Date.now());

    this.setState('logging-in');
    let loginCode: number;
    let loginMsg: string;
    try {
      const res = await conn.login();
      loginCode = res.code;
      loginMsg = res.msg;
    } catch (err) {
      const reason = await Promise.race([conn.closed, Promise.resolve(null)]);
      const message = reason ? describeCloseReason(reason) : (err as Error).message;
      conn.close({ kind: 'error', message });
      end(message);
      return this.firstFailure(`login failed: ${message}`);
    }
    if (loginCode !== 0) {
      const message = `login denied (code ${loginCode}: ${loginMsg})`;
      conn.close({ kind: 'error', message });
      end(message);
      if (loginCode === 3 && deniedOnce === null) {
        try {
          if (await opts.provider.recoverFromDeniedLogin()) return { kind: 'denied', denial: { code: loginCode, message: loginMsg } };
        } catch (err) {
          return { kind: 'fatal', message: `${message}; token refresh failed: ${(err as Error).message}`, loginRequired: needsLogin(err) };
        }
      }
      // Denied again with a fresh token: retrying in a loop would only hammer the broker.
      return { kind: 'fatal', message, loginRequired: true };
    }

    loggedIn = true;
    const reconnect = this.everStreamed;
    if (reconnect) this.reconnects++;
    this.everStreamed = true;
    opts.onEvent({ type: 'connected', connectionId, url: login.url, account: accountOf(login), serverMessage: loginMsg, reconnect });
    // Reported once, here, where it is known that the refresh fixed it (a second denial is fatal above).
    if (deniedOnce !== null) opts.onEvent({ type: 'login-recovered', ...deniedOnce });

    this.setState('subscribing');
    if (this.dialect === 'tdameritrade' && opts.qosLevel !== undefined) {
      const res = await conn
        .request({ service: 'ADMIN', command: 'QOS', parameters: { qoslevel: String(opts.qosLevel) } })
        .catch(() => null);
      if (res && res.code !== 0) opts.onEvent({ type: 'notice', service: 'ADMIN', code: res.code, message: res.msg });
    }
    // From here on, subscription changes go straight to the server; this snapshot covers the rest.
    this.live = true;
    const subscribed = Promise.all(
      this.subscriptions.list().map((s) => this.command(conn, 'SUBS', s.service, s.keys, s.fields)),
    );
    await Promise.race([subscribed, conn.closed]);
    if (conn.isOpen) this.setState('streaming');

    const stableTimer = setTimeout(proven, opts.stableAfterMs ?? RECONNECT_POLICY.stableAfterMs);
    const reason: CloseReason = await conn.closed;
    clearTimeout(stableTimer);
    this.live = false;
    const message = describeCloseReason(reason);
    end(message);
    opts.onEvent({ type: 'disconnected', connectionId, reason: message });
    if (reason.kind === 'notice' && reason.code === 12) {
      // docs/protocol/tdameritrade.md §7: one streamer per user; reconnecting would knock the other one out in turn.
      return { kind: 'fatal', message: `${message}; another Tapedeck or client is streaming with this account` };
    }
    return { kind: 'retry', message };
  }

  private firstFailure(message: string): { kind: 'retry'; message: string } | { kind: 'fatal'; message: string } {
    if (!this.everStreamed && this.opts.failFastOnFirstConnect) return { kind: 'fatal', message };
    return { kind: 'retry', message };
  }
}

/** Who the connection logs in as: Schwab's customer id, TD's account id. */
function accountOf(login: StreamerLogin): string | null {
  return login.requestIds.SchwabClientCustomerId ?? login.requestIds.account ?? null;
}
