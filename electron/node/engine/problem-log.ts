/**
 * Problem reports that stay bounded whatever a server sends: counted per kind and service, with the
 * service names a server can make up folded into one bucket after a few, and lines rate-limited.
 *
 * A kind-and-service is reported the first time and again at every power of ten of its count
 * (10, 100, …), while a budget of BURST_LINES lines lasts. Past that, reports are only counted, and
 * a summary line every SUMMARY_EVERY_MS says how many were not shown, by kind. A spell of
 * SUMMARY_EVERY_MS without any problem restores the budget. So a flood of any size or mix prints at
 * most BURST_LINES lines and then one summary a period, and memory does not grow with what is sent.
 */
import { safeText } from '../../../shared/safe-text.js';

export interface ProblemInput {
  kind: string;
  detail: string;
  service?: string;
}

export interface ProblemReport extends ProblemInput {
  /** How many of this kind (and service, or bucket of services) so far. */
  count: number;
}

export interface ProblemLogOptions {
  /** Service names the protocol defines; these are always counted by name. */
  isKnownService?: (service: string) => boolean;
  /** Unknown service names counted by name before the rest share one bucket. Default UNKNOWN_SERVICE_NAMES. */
  unknownServiceNames?: number;
  /** Lines before reports are only counted. Default BURST_LINES. */
  burstLines?: number;
  /** Default SUMMARY_EVERY_MS. */
  summaryEveryMs?: number;
}

export const UNKNOWN_SERVICE_NAMES = 10;
export const BURST_LINES = 30;
export const SUMMARY_EVERY_MS = 60_000;
/** The bucket unknown service names share once UNKNOWN_SERVICE_NAMES have their own count. */
export const OTHER_SERVICES = 'other unknown services';
/** The kind of the periodic summary line. */
export const SUMMARY_KIND = 'summary';
/** Distinct kinds are ours, but a listener's or a recorder's message is not: bound them too. */
const MAX_KINDS = 64;

const fmt = (n: number) => n.toLocaleString('en-US');

export class ProblemLog {
  private readonly counts = new Map<string, number>();
  private readonly namedUnknown = new Set<string>();
  private readonly kinds = new Set<string>();
  /** Reports counted but not shown since the last summary, by kind. */
  private suppressed = new Map<string, number>();
  private sincePeriod = 0;
  private budget: number;
  private readonly timer: NodeJS.Timeout;
  total = 0;

  constructor(
    private readonly emit: (report: ProblemReport) => void,
    private readonly opts: ProblemLogOptions = {},
  ) {
    this.budget = opts.burstLines ?? BURST_LINES;
    this.timer = setInterval(() => this.summarize(), opts.summaryEveryMs ?? SUMMARY_EVERY_MS);
    this.timer.unref();
  }

  report(p: ProblemInput): void {
    this.total++;
    this.sincePeriod++;
    const kind = this.kindOf(p.kind);
    const service = p.service === undefined ? undefined : this.bucketOf(p.service);
    const id = `${kind}\u0000${service ?? ''}`;
    const count = (this.counts.get(id) ?? 0) + 1;
    this.counts.set(id, count);
    if (count !== 1 && !isPowerOfTen(count)) return;
    if (this.budget <= 0) {
      this.suppressed.set(kind, (this.suppressed.get(kind) ?? 0) + 1);
      return;
    }
    this.budget--;
    this.emit({ kind, detail: safeText(p.detail), ...(service === undefined ? {} : { service: safeText(service, 64) }), count });
  }

  /** Every problem counted so far by kind, the services added up (record's exit summary). */
  byKind(): Record<string, number> {
    const out: Record<string, number> = {};
    for (const [id, n] of this.counts) {
      const kind = id.slice(0, id.indexOf('\u0000'));
      out[kind] = (out[kind] ?? 0) + n;
    }
    return out;
  }

  /** Every problem counted since the budget ran out is in the next summary; called by the timer. */
  summarize(): void {
    const seen = this.sincePeriod;
    this.sincePeriod = 0;
    if (seen === 0) {
      // A quiet period: the next flood gets its lines again.
      this.budget = this.opts.burstLines ?? BURST_LINES;
      return;
    }
    if (this.budget > 0) return;
    const byKind = [...this.suppressed.entries()].sort((a, b) => b[1] - a[1]);
    this.suppressed = new Map();
    const shown = byKind.slice(0, 5).map(([k, n]) => `${k} ${fmt(n)}`);
    if (byKind.length > 5) shown.push(`${byKind.length - 5} more kinds`);
    const period = Math.round((this.opts.summaryEveryMs ?? SUMMARY_EVERY_MS) / 1000);
    const milestones = byKind.length > 0 ? `; reports not shown: ${shown.join(', ')}` : '';
    this.emit({
      kind: SUMMARY_KIND,
      detail: `${fmt(seen)} problems in the last ${period} s (${fmt(this.total)} in all; every frame is archived)${milestones}`,
      count: this.total,
    });
  }

  stop(): void {
    clearInterval(this.timer);
  }

  private kindOf(kind: string): string {
    if (this.kinds.has(kind)) return kind;
    if (this.kinds.size >= MAX_KINDS) return 'other';
    this.kinds.add(kind);
    return kind;
  }

  private bucketOf(service: string): string {
    if (this.opts.isKnownService?.(service)) return service;
    if (this.namedUnknown.has(service)) return service;
    if (this.namedUnknown.size >= (this.opts.unknownServiceNames ?? UNKNOWN_SERVICE_NAMES)) return OTHER_SERVICES;
    this.namedUnknown.add(service);
    return service;
  }
}

function isPowerOfTen(n: number): boolean {
  while (n >= 10 && n % 10 === 0) n /= 10;
  return n === 1;
}
