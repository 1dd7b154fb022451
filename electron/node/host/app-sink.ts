/**
 * The app's PostgreSQL sink (Settings → Recording): a SinkThread beside the recorder, on the file
 * being recorded into, as `record --sink` runs one. The supervisor says which file to ship and
 * where (`follow`); a new file (a new trading day, another provider) or a new URL restarts the
 * thread, and recording stopping, pausing or the app closing stops it after a brief drain. What it
 * is doing is kept as a SinkStatus for the status bar and Settings, with the password masked.
 */
import { basename } from 'node:path';
import type { SinkStatus } from '../../../shared/sink-status.js';
import type { PgTarget } from '../sink/pg-url.js';
import type { Shipment, SinkNotice } from '../sink/shipper.js';
import { SinkThread } from '../sink/sink-thread.js';

/**
 * How long a stopping sink keeps shipping what the recorder committed last. Short: it runs when
 * recording stops or the app closes, and whatever is left is shipped by `tapedeck ship` (or by
 * this sink when the same file is recorded again, since it resumes from PostgreSQL's marks).
 */
export const APP_SINK_DRAIN_MS = 5_000;

export interface AppSinkOptions {
  /** The status changed in a way worth showing now (not every shipment: the status ticker shows those). */
  onChange: () => void;
  message: (level: 'info' | 'warning' | 'error', text: string) => void;
  drainMs?: number;
}

/** Rows over every table of a per-table count. */
const rowsIn = (perTable: readonly [string, number][]): number => perTable.reduce((n, [, rows]) => n + rows, 0);

const OFF: SinkStatus = { state: 'off', target: null, file: null, recorderId: null, detail: null, shippedRows: 0, behindRows: null, lastShippedAt: null };

export class AppSink {
  private thread: SinkThread | null = null;
  private path: string | null = null;
  private connection: string | null = null;
  private current: SinkStatus = OFF;
  /** Changes are applied one at a time, in the order asked. */
  private queue: Promise<void> = Promise.resolve();
  private counting = false;

  constructor(private readonly opts: AppSinkOptions) {}

  status(): SinkStatus {
    return { ...this.current };
  }

  /** The file being shipped (null: none). */
  get file(): string | null {
    return this.thread ? this.path : null;
  }

  /**
   * Ships `path` to `target`; with no path (nothing recorded) or no target (off) the thread stops.
   * The same file and URL again changes nothing. Resolves once applied.
   */
  follow(path: string | null, target: PgTarget | null): Promise<void> {
    const applied = this.queue.then(() => this.apply(path, target));
    this.queue = applied.catch(() => undefined);
    return applied;
  }

  /** Stops the thread (draining briefly); waits for anything asked before. */
  close(): Promise<void> {
    return this.follow(null, null);
  }

  /** Counts the rows not shipped yet (one count at a time); the next status carries it. */
  refreshBehind(): void {
    const thread = this.thread;
    if (!thread || this.counting || (this.current.state !== 'shipping' && this.current.state !== 'failing')) return;
    this.counting = true;
    void thread
      .behind()
      .then((behind) => {
        if (this.thread === thread) this.current.behindRows = rowsIn(behind);
      })
      .finally(() => (this.counting = false));
  }

  private async apply(path: string | null, target: PgTarget | null): Promise<void> {
    const want = path !== null && target !== null;
    if (want && this.thread && this.path === path && this.connection === target.connectionString) return;
    await this.stopThread();
    if (!want) {
      this.set(target ? { ...OFF, state: 'waiting', target: target.display } : OFF);
      return;
    }
    this.path = path;
    this.connection = target.connectionString;
    this.set({ ...OFF, state: 'starting', target: target.display, file: path });
    let thread: SinkThread;
    try {
      thread = await SinkThread.start(path, target, this.listener(() => this.thread === thread, target));
    } catch (err) {
      const reason = (err as Error).message;
      this.set({ ...OFF, state: 'stopped', target: target.display, file: path, detail: reason });
      this.opts.message('error', `PostgreSQL sink: cannot ship ${basename(path)} to ${target.display}: ${reason}`);
      return;
    }
    this.thread = thread;
    this.set({ ...this.current, state: 'shipping', recorderId: thread.recorderId });
    this.opts.message('info', `Shipping ${basename(path)} to ${target.display} as recorder ${thread.recorderId}`);
  }

  private listener(isCurrent: () => boolean, target: PgTarget) {
    return {
      onShipped: (s: Shipment) => {
        if (!isCurrent()) return;
        this.current.shippedRows += s.rows;
        this.current.lastShippedAt = s.committedAt;
      },
      onNotice: (n: SinkNotice) => {
        if (!isCurrent()) return;
        switch (n.kind) {
          case 'failing':
            this.set({ ...this.current, state: 'failing', detail: n.message });
            this.opts.message('warning', `PostgreSQL sink: ${n.message}; retrying (recording goes on, rows are shipped once it is back)`);
            return;
          case 'recovered':
            this.set({ ...this.current, state: 'shipping', detail: null });
            this.opts.message('info', `PostgreSQL sink: ${target.display} is back after ${n.failures} failed attempt${n.failures === 1 ? '' : 's'}; catching up`);
            return;
          case 'table-skipped':
            this.set({ ...this.current, detail: `not shipping ${n.table}: ${n.reason}` });
            this.opts.message('warning', `PostgreSQL sink: not shipping ${n.table}: ${n.reason}`);
            return;
        }
      },
      onDied: (message: string) => {
        if (!isCurrent()) return;
        this.thread = null;
        this.set({ ...this.current, state: 'stopped', detail: message, behindRows: null });
        this.opts.message('error', `PostgreSQL sink: ${message}`);
      },
    };
  }

  private async stopThread(): Promise<void> {
    const thread = this.thread;
    const path = this.path;
    this.thread = null;
    if (!thread || !path) return;
    const { behind } = await thread.stop(this.opts.drainMs ?? APP_SINK_DRAIN_MS);
    const left = rowsIn(behind);
    if (left > 0) {
      this.opts.message(
        'warning',
        `PostgreSQL sink: ${left.toLocaleString('en-US')} rows of ${basename(path)} are not shipped yet; they are shipped when this file is recorded again, or by 'tapedeck ship --db ${path} --to URL'`,
      );
    }
  }

  private set(next: SinkStatus): void {
    this.current = next;
    this.opts.onChange();
  }
}
