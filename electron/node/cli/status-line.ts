/**
 * What `tapedeck record` writes on stderr: event lines that start with the local time, one summary
 * line at exit, and on a terminal a one-line live status redrawn in place.
 */
import type { EngineStatus } from '../../../shared/engine-events.js';

const fmt = new Intl.NumberFormat('en-US');
const pad = (n: number, width = 2) => String(n).padStart(width, '0');

export function formatBytes(n: number): string {
  if (n < 1024) return `${n} B`;
  if (n < 1024 ** 2) return `${(n / 1024).toFixed(1)} KB`;
  if (n < 1024 ** 3) return `${(n / 1024 ** 2).toFixed(1)} MB`;
  return `${(n / 1024 ** 3).toFixed(2)} GB`;
}

/** "2025-03-14 09:30:00.125" in the machine's time zone. */
export function localTimestamp(ms: number): string {
  const t = new Date(ms);
  return `${t.getFullYear()}-${pad(t.getMonth() + 1)}-${pad(t.getDate())} ${pad(t.getHours())}:${pad(t.getMinutes())}:${pad(t.getSeconds())}.${pad(t.getMilliseconds(), 3)}`;
}

/** "45s", "3m05s", "2h03m05s", "1d02h03m". */
export function formatDuration(ms: number): string {
  const s = Math.max(0, Math.round(ms / 1000));
  const d = Math.floor(s / 86_400);
  const h = Math.floor((s % 86_400) / 3600);
  const m = Math.floor((s % 3600) / 60);
  const sec = s % 60;
  if (d > 0) return `${d}d${pad(h)}h${pad(m)}m`;
  if (h > 0) return `${h}h${pad(m)}m${pad(sec)}s`;
  if (m > 0) return `${m}m${pad(sec)}s`;
  return `${sec}s`;
}

export interface RunSummary {
  durationMs: number;
  updates: number;
  rows: number;
  frames: number;
  reconnects: number;
  /** Counts by kind (malformed-json, refused subscription, recorder…). */
  problems: Record<string, number>;
  dbBytes: number;
}

/** The line `record` ends with. */
export function formatSummary(s: RunSummary): string {
  const kinds = Object.entries(s.problems).filter(([, n]) => n > 0);
  const problems = kinds.length === 0 ? 'no problems' : `problems: ${kinds.map(([k, n]) => `${k} ${fmt.format(n)}`).join(', ')}`;
  return [
    `summary: ${formatDuration(s.durationMs)}`,
    `${fmt.format(s.updates)} updates`,
    `${fmt.format(s.rows)} rows`,
    `${fmt.format(s.frames)} frames`,
    `${fmt.format(s.reconnects)} reconnect${s.reconnects === 1 ? '' : 's'}`,
    problems,
    `database ${formatBytes(s.dbBytes)}`,
  ].join(', ');
}

export function formatStatus(s: EngineStatus, now = Date.now()): string {
  const label = s.simulated ? `${s.provider} (simulated)` : s.provider;
  const retry = s.connection === 'waiting' && s.retryAt ? ` retry in ${Math.max(0, Math.ceil((s.retryAt - now) / 1000))}s` : '';
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
  private read: (() => EngineStatus) | null = null;
  readonly enabled: boolean;

  constructor(private readonly stream: NodeJS.WriteStream) {
    this.enabled = Boolean(stream.isTTY);
  }

  /** Where the live status comes from, once there is an engine. */
  attach(read: () => EngineStatus): void {
    this.read = read;
  }

  start(): void {
    if (!this.enabled || !this.read) return;
    this.timer = setInterval(() => this.draw(), 500);
    this.timer.unref();
  }

  private draw(): void {
    if (!this.read) return;
    const width = this.stream.columns || 100;
    this.stream.write('\r\x1b[K' + formatStatus(this.read()).slice(0, width - 1));
    this.shown = true;
  }

  /** Prints one event line, led by the local time, without tearing the status line. */
  log(line: string, at = Date.now()): void {
    if (this.shown) this.stream.write('\r\x1b[K');
    this.stream.write(`${localTimestamp(at)} ${line}\n`);
    if (this.enabled && this.timer) this.draw();
  }

  stop(): void {
    if (this.timer) clearInterval(this.timer);
    this.timer = null;
    if (this.shown) this.stream.write('\r\x1b[K');
    this.shown = false;
  }
}
