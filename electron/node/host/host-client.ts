/**
 * The parent side of the host worker: the typed `invoke`/`on` of shared/api.ts for the Electron
 * main process and `tapedeck serve`, plus the platform services only the parent can provide.
 */
import { Worker } from 'node:worker_threads';
import type { CommandArg, CommandName, CommandResult, EventName, Events } from '../../../shared/api.js';
import type { SecretStore } from './secrets.js';
import type { FromWorker, PlatformCalls, PlatformMethod, ToWorker, WorkerConfig } from './worker-protocol.js';

export interface ParentPlatform {
  secrets: SecretStore;
  chooseExportTarget(suggestedName: string): Promise<{ path: string; location: string } | null>;
  openLogin?(authorizeUrl: string, callbackUrl: string): Promise<string | null>;
}

type Listener = <K extends EventName>(name: K, payload: Events[K]) => void;

export class HostClient {
  private readonly worker: Worker;
  private nextId = 0;
  private readonly pending = new Map<number, { resolve: (v: unknown) => void; reject: (e: Error) => void }>();
  private readonly listeners = new Set<Listener>();
  readonly ready: Promise<void>;

  constructor(workerPath: string, config: Omit<WorkerConfig, 'secretProtection' | 'canOpenLogin'>, private readonly platform: ParentPlatform) {
    this.worker = new Worker(workerPath, {
      workerData: { ...config, secretProtection: platform.secrets.protection, canOpenLogin: Boolean(platform.openLogin) } satisfies WorkerConfig,
    });
    this.ready = new Promise((resolve, reject) => {
      this.worker.on('message', (m: FromWorker) => {
        if (m.kind === 'ready') resolve();
        else if (m.kind === 'fatal') reject(new Error(m.error));
        else this.onMessage(m);
      });
      this.worker.on('error', (err) => {
        reject(err);
        this.failAll(err);
      });
      this.worker.on('exit', (code) => this.failAll(new Error(`the host worker exited (code ${code})`)));
    });
  }

  private failAll(err: Error): void {
    for (const p of this.pending.values()) p.reject(err);
    this.pending.clear();
  }

  private onMessage(m: FromWorker): void {
    switch (m.kind) {
      case 'result': {
        const p = this.pending.get(m.id);
        this.pending.delete(m.id);
        if (!p) return;
        if (m.ok) p.resolve(m.value);
        else p.reject(new Error(m.error));
        return;
      }
      case 'event':
        for (const l of this.listeners) l(m.name, m.payload);
        return;
      case 'platform':
        void this.servePlatform(m.id, m.method, m.args);
        return;
      default:
        return;
    }
  }

  private async servePlatform(id: number, method: PlatformMethod, args: unknown[]): Promise<void> {
    const impl: { [M in PlatformMethod]: (...a: PlatformCalls[M]['args']) => Promise<PlatformCalls[M]['result']> } = {
      'secrets.load': () => this.platform.secrets.load(),
      'secrets.save': (s) => this.platform.secrets.save(s),
      chooseExportTarget: (name) => this.platform.chooseExportTarget(name),
      openLogin: (url, cb) => (this.platform.openLogin ? this.platform.openLogin(url, cb) : Promise.resolve(null)),
    };
    try {
      const value = await (impl[method] as (...a: unknown[]) => Promise<unknown>)(...args);
      this.post({ kind: 'platform-result', id, ok: true, value });
    } catch (err) {
      this.post({ kind: 'platform-result', id, ok: false, error: err instanceof Error ? err.message : String(err) });
    }
  }

  private post(m: ToWorker): void {
    this.worker.postMessage(m);
  }

  private request(m: (id: number) => ToWorker): Promise<unknown> {
    const id = this.nextId++;
    return new Promise((resolve, reject) => {
      this.pending.set(id, { resolve, reject });
      this.post(m(id));
    });
  }

  invoke<K extends CommandName>(name: K, arg: CommandArg<K>): Promise<CommandResult<K>> {
    return this.request((id) => ({ kind: 'invoke', id, name, arg })) as Promise<CommandResult<K>>;
  }

  on(listener: Listener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  completeLogin(url: string): Promise<void> {
    return this.request((id) => ({ kind: 'complete-login', id, url })) as Promise<void>;
  }

  async close(): Promise<void> {
    await this.request((id) => ({ kind: 'close', id })).catch(() => undefined);
    await this.worker.terminate();
  }
}
