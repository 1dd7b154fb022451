/**
 * A raw client for simulator tests: plain fetch and a plain `ws` socket, speaking the wire protocol as
 * the references describe it. Deliberately not Tapedeck's own client, so the simulator is checked
 * against the references rather than against our habits.
 */
import assert from 'node:assert/strict';
import { request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import WebSocket from 'ws';
import type { SimHandle } from '../../../electron/node/sim/index.js';
import { waitFor } from '../../helpers/wait.js';

export const APP_KEY = 'sim-test-app';
export const APP_SECRET = 'sim-test-secret';
export const CALLBACK = 'https://127.0.0.1:8182';
export const TD_CLIENT_ID = `${APP_KEY}@AMER.OAUTHAP`;

export type Obj = Record<string, unknown>;
export interface Content {
  code: number;
  msg: string;
}

const form = (fields: Record<string, string>) => ({
  method: 'POST',
  headers: { 'Content-Type': 'application/x-www-form-urlencoded' },
  body: new URLSearchParams(fields).toString(),
});
export const basicAuth = (key = APP_KEY, secret = APP_SECRET) => `Basic ${Buffer.from(`${key}:${secret}`).toString('base64')}`;

/** What a person does on the authorize page: submit the form; returns the 302 Location. */
export async function submitLogin(sim: SimHandle, path: string, fields: Record<string, string>): Promise<string> {
  const res = await fetch(`${sim.url}${path}`, { ...form({ username: 'trader', password: 'secret', ...fields }), redirect: 'manual' });
  assert.equal(res.status, 302, await res.text());
  return res.headers.get('location')!;
}

/** The code parameter of a redirect, URL-decoded exactly once. */
export function codeOf(location: string): string {
  return decodeURIComponent(/[?&]code=([^&]*)/.exec(location)![1]!);
}

export async function schwabToken(sim: SimHandle, fields: Record<string, string>, auth = basicAuth()): Promise<Response> {
  const init = form(fields);
  return fetch(`${sim.url}/v1/oauth/token`, { ...init, headers: { ...init.headers, Authorization: auth } });
}

export async function tdToken(sim: SimHandle, fields: Record<string, string>): Promise<Response> {
  return fetch(`${sim.url}/v1/oauth2/token`, form(fields));
}

export interface SchwabSession {
  accessToken: string;
  refreshToken: string;
  socketUrl: string;
  ids: { SchwabClientCustomerId: string; SchwabClientCorrelId: string };
}

export async function schwabSession(sim: SimHandle, user = 'trader'): Promise<SchwabSession> {
  const code = codeOf(await submitLogin(sim, '/v1/oauth/authorize', { client_id: APP_KEY, redirect_uri: CALLBACK, username: user }));
  const tokens = (await (await schwabToken(sim, { grant_type: 'authorization_code', code, redirect_uri: CALLBACK })).json()) as Record<string, string>;
  const pref = (await (await fetch(`${sim.url}/trader/v1/userPreference`, { headers: { Authorization: `Bearer ${tokens.access_token}` } })).json()) as {
    streamerInfo: Record<string, string>[];
  };
  const info = pref.streamerInfo[0]!;
  return {
    accessToken: tokens.access_token!,
    refreshToken: tokens.refresh_token!,
    socketUrl: info.streamerSocketUrl!,
    ids: { SchwabClientCustomerId: info.schwabClientCustomerId!, SchwabClientCorrelId: info.schwabClientCorrelId! },
  };
}

export interface TdSession {
  accessToken: string;
  refreshToken: string;
  socketUrl: string;
  accountId: string;
  appId: string;
  token: string;
  subscriptionKey: string;
  /** The LOGIN credential query string, encoded once (docs/protocol/tdameritrade.md §3.3). */
  credential: string;
}

export async function tdPrincipals(sim: SimHandle, accessToken: string): Promise<Obj> {
  const res = await fetch(`${sim.url}/v1/userprincipals?fields=streamerSubscriptionKeys,streamerConnectionInfo`, { headers: { Authorization: `Bearer ${accessToken}` } });
  assert.equal(res.status, 200);
  return (await res.json()) as Obj;
}

export function tdCredential(p: Obj): string {
  const si = p.streamerInfo as Record<string, string>;
  const acct = (p.accounts as Record<string, string>[])[0]!;
  return new URLSearchParams({
    userid: acct.accountId!, token: si.token!, company: acct.company!, segment: acct.segment!, cddomain: acct.accountCdDomainId!,
    usergroup: si.userGroup!, accesslevel: si.accessLevel!, authorized: 'Y',
    timestamp: String(Date.parse(si.tokenTimestamp!.replace('+0000', 'Z'))), appid: si.appId!, acl: si.acl!,
  }).toString();
}

/**
 * What every TD client did with the bare host of userprincipals: "wss://" + host + "/ws"
 * (docs/protocol/tdameritrade.md §3.1); ws:// against a simulator without TLS.
 */
export function tdSocketUrl(sim: SimHandle, address: string): string {
  return `${sim.url.startsWith('https:') ? 'wss' : 'ws'}://${address}/ws`;
}

export async function tdSession(sim: SimHandle, user = 'trader'): Promise<TdSession> {
  const code = codeOf(await submitLogin(sim, '/auth', { response_type: 'code', client_id: TD_CLIENT_ID, redirect_uri: CALLBACK, username: user }));
  const tokens = (await (await tdToken(sim, { grant_type: 'authorization_code', code, client_id: TD_CLIENT_ID, redirect_uri: CALLBACK, access_type: 'offline' })).json()) as Record<string, string>;
  const p = await tdPrincipals(sim, tokens.access_token!);
  const si = p.streamerInfo as Record<string, string>;
  return {
    accessToken: tokens.access_token!,
    refreshToken: tokens.refresh_token!,
    socketUrl: tdSocketUrl(sim, si.streamerSocketUrl!),
    accountId: (p.accounts as Record<string, string>[])[0]!.accountId!,
    appId: si.appId!,
    token: si.token!,
    subscriptionKey: ((p.streamerSubscriptionKeys as { keys: { key: string }[] }).keys[0]!).key,
    credential: tdCredential(p),
  };
}

export interface Received {
  at: number;
  text: string;
  /** Undefined when the frame is not JSON (the `malformed` fault). */
  json: Record<string, Obj[]> | undefined;
}

export class RawClient {
  readonly frames: Received[] = [];
  closeCode: number | null = null;
  private nextId = 100;

  private constructor(readonly ws: WebSocket) {
    ws.on('message', (d) => {
      const text = d.toString();
      let json: Record<string, Obj[]> | undefined;
      try {
        json = JSON.parse(text) as Record<string, Obj[]>;
      } catch {
        json = undefined;
      }
      this.frames.push({ at: Date.now(), text, json });
    });
    ws.on('close', (code) => (this.closeCode = code));
  }

  /** `ca`: the certificate to trust for wss:// (the simulator's self-signed one). */
  static async open(url: string, ca?: string): Promise<RawClient> {
    const ws = new WebSocket(url, ca ? { ca } : {});
    await new Promise((resolve, reject) => ws.once('open', resolve).once('error', reject));
    return new RawClient(ws);
  }

  get closed(): boolean {
    return this.closeCode !== null;
  }

  sendText(text: string): void {
    this.ws.send(text);
  }

  send(...requests: Obj[]): void {
    this.ws.send(JSON.stringify({ requests }));
  }

  id(): string {
    return String(this.nextId++);
  }

  entries(kind: 'response' | 'notify' | 'data' | 'snapshot', from = 0): Obj[] {
    return this.frames.slice(from).flatMap((f) => f.json?.[kind] ?? []);
  }

  responses(): Obj[] {
    return this.entries('response');
  }

  /** Content items of one service, in arrival order. */
  items(service: string, from = 0): Obj[] {
    return this.entries('data', from)
      .filter((e) => e.service === service)
      .flatMap((e) => e.content as Obj[]);
  }

  async response(requestid: string): Promise<Content> {
    const r = await waitFor(`response ${requestid}`, () => this.responses().find((x) => x.requestid === requestid), 5000);
    return r.content as Content;
  }

  async notice(code: number): Promise<Obj> {
    return waitFor(`notify code ${code}`, () => this.entries('notify').find((n) => (n.content as Content | undefined)?.code === code), 5000);
  }

  heartbeats(from = 0): number {
    return this.entries('notify', from).filter((n) => typeof n.heartbeat === 'string').length;
  }

  async itemsUntil(service: string, count: number, filter: (i: Obj) => boolean = () => true, timeoutMs = 5000): Promise<Obj[]> {
    return waitFor(`${count} ${service} items`, () => {
      const got = this.items(service).filter(filter);
      return got.length >= count ? got : null;
    }, timeoutMs);
  }

  async whenClosed(): Promise<number> {
    return waitFor('the socket to close', () => this.closeCode ?? null, 5000);
  }

  close(): void {
    if (!this.closed) this.ws.close();
  }
}

/** Opens a Schwab streamer socket and logs in; returns the client and a request builder. */
export async function schwabStream(s: SchwabSession): Promise<{ c: RawClient; req: (service: string, command: string, parameters?: Obj) => Obj & { requestid: string } }> {
  const c = await RawClient.open(s.socketUrl);
  const req = (service: string, command: string, parameters: Obj = {}) => ({ service, command, requestid: c.id(), ...s.ids, parameters });
  const login = req('ADMIN', 'LOGIN', { Authorization: s.accessToken, SchwabClientChannel: 'N9', SchwabClientFunctionId: 'APIAPP' });
  c.send(login);
  assert.equal((await c.response(login.requestid)).code, 0);
  return { c, req };
}

export async function tdStream(s: TdSession, qoslevel?: string): Promise<{ c: RawClient; req: (service: string, command: string, parameters?: Obj) => Obj & { requestid: string } }> {
  const c = await RawClient.open(s.socketUrl);
  const req = (service: string, command: string, parameters: Obj = {}) => ({ service, requestid: c.id(), command, account: s.accountId, source: s.appId, parameters });
  const login = req('ADMIN', 'LOGIN', { credential: s.credential, token: s.token, version: '1.0' });
  c.send(login);
  assert.equal((await c.response(login.requestid)).code, 0);
  if (qoslevel !== undefined) {
    const qos = req('ADMIN', 'QOS', { qoslevel });
    c.send(qos);
    assert.equal((await c.response(qos.requestid)).code, 0);
  }
  return { c, req };
}

/** All field numbers 0..n as the comma list clients send for "everything". */
export const allFields = (n: number) => Array.from({ length: n + 1 }, (_, i) => i).join(',');

/** The numbered fields of an item (everything but key and metadata). */
export const numbered = (item: Obj) => Object.keys(item).filter((k) => /^\d+$/.test(k));

/** waitFor for an async probe (tests/helpers/wait.ts takes synchronous ones); bounded, polling. */

export { waitForAsync } from '../../helpers/wait.js';

export interface RawResponse {
  status: number;
  headers: Record<string, string | string[] | undefined>;
  text: string;
  json: <T = Obj>() => T;
}

/**
 * One request on a plain node:http(s) socket: raw HTTP, no client library; `ca` is the certificate to
 * trust for https (fetch cannot be told one).
 */
export function rawRequest(url: string, init: { method?: string; headers?: Record<string, string>; body?: string; ca?: string } = {}): Promise<RawResponse> {
  const u = new URL(url);
  const send = u.protocol === 'https:' ? httpsRequest : httpRequest;
  return new Promise((resolve, reject) => {
    const req = send(u, { method: init.method ?? 'GET', headers: init.headers, ...(init.ca ? { ca: init.ca } : {}) }, (res) => {
      const chunks: Buffer[] = [];
      res.on('data', (c: Buffer) => chunks.push(c));
      res.on('end', () => {
        const text = Buffer.concat(chunks).toString('utf8');
        resolve({ status: res.statusCode ?? 0, headers: res.headers, text, json: <T>() => JSON.parse(text) as T });
      });
    });
    req.on('error', reject);
    req.end(init.body);
  });
}

/** GET with a Bearer token, parsed as JSON. */
export async function getJson<T = Obj>(sim: SimHandle, path: string, accessToken: string): Promise<{ status: number; body: T }> {
  const r = await rawRequest(`${sim.url}${path}`, { headers: { Authorization: `Bearer ${accessToken}` }, ...(sim.certificate ? { ca: sim.certificate } : {}) });
  return { status: r.status, body: r.json<T>() };
}
