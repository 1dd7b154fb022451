/** The one-line live status of `tapedeck record` on a terminal; silent when stderr is not a terminal. */
import type { EngineStatus } from '../../../shared/engine-events.js';

const fmt = new Intl.NumberFormat('en-US');

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

export function formatStatus(s: EngineStatus): string {
  const label = s.simulated ? `${s.provider} (simulated)` : s.provider;
  const retry = s.connection === 'waiting' && s.retryAt ? ` retry in ${Math.max(0, Math.ceil((s.retryAt - Date.now()) / 1000))}s` : '';
  return [
    `${label}: ${s.connection}${retry}`,
    `${fmt.format(Math.round(s.updatesPerSec))} upd/s`,
    `rows ${fmt.format(s.rows)}`,
    `reconnects ${s.reconnects}`,
    formatBytes(s.dbBytes),
  ].join(' | ');
}

export class StatusLine {
  private timer: NodeJS.Timeout | null = null;
  private shown = false;
  readonly enabled: boolean;

  constructor(
    private readonly stream: NodeJS.WriteStream,
    private readonly read: () => EngineStatus,
  ) {
    this.enabled = Boolean(stream.isTTY);
  }

  start(): void {
    if (!this.enabled) return;
    this.timer = setInterval(() => this.draw(), 500);
    this.timer.unref();
  }

  private draw(): void {
    const width = this.stream.columns || 100;
    this.stream.write('\r\x1b[K' + formatStatus(this.read()).slice(0, width - 1));
    this.shown = true;
  }

  /** Prints a message line without tearing the status line. */
  log(line: string): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.stream.write(line + '\n');
    if (this.enabled && this.timer) this.draw();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}
