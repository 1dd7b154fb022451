/**
 * A connection's subscriptions: service → {keys, fields} with the references' command semantics
 * (docs/protocol/schwab.md §3.6, docs/protocol/tdameritrade.md §3.6): SUBS replaces the service's keys and fields, ADD unions both,
 * UNSUBS removes keys, VIEW replaces the fields of every key. Over-cap keys are discarded with code 19
 * and the accepted ones kept (docs/protocol/schwab.md §4.1, §8). Pure state: no sockets, no timers.
 */
import { serviceSpec, type Dialect, type ServiceSpec } from '../../../shared/protocol/services.js';

export interface ServiceSubscription {
  spec: ServiceSpec;
  /** In subscription order. */
  keys: Set<string>;
  fields: Set<number>;
}

export interface CommandOutcome {
  code: number;
  msg: string;
  /** Keys that start streaming from scratch (after SUBS, every key of the service). */
  fresh: string[];
  /** Keys no longer subscribed. */
  removed: string[];
}

const FAILED = { SUBS: 22, UNSUBS: 23, ADD: 24, VIEW: 25 } as const;
type SubCommand = keyof typeof FAILED;
const isSubCommand = (c: string): c is SubCommand => Object.hasOwn(FAILED, c);

/** Comma-separated keys, trimmed (clients send "SPY, AAPL", docs/protocol/tdameritrade.md §3.2), de-duplicated. */
export function parseKeys(text: unknown): string[] | null {
  if (typeof text !== 'string') return null;
  const keys = new Set<string>();
  for (const k of text.split(',')) {
    const t = k.trim();
    if (t) keys.add(t);
  }
  return [...keys];
}

/** Comma-separated field numbers; null when absent or unusable. */
export function parseFields(text: unknown): Set<number> | null {
  if (typeof text !== 'string' && typeof text !== 'number') return null;
  const out = new Set<number>();
  for (const f of String(text).split(',')) {
    const t = f.trim();
    if (/^\d{1,3}$/.test(t)) out.add(Number(t));
  }
  return out.size > 0 ? out : null;
}

export class SubscriptionTable {
  private readonly subs = new Map<string, ServiceSubscription>();

  constructor(
    private readonly dialect: Dialect,
    private readonly capOf: (service: string) => number,
  ) {}

  get(service: string): ServiceSubscription | undefined {
    return this.subs.get(service);
  }

  all(): IterableIterator<ServiceSubscription> {
    return this.subs.values();
  }

  isEmpty(): boolean {
    for (const s of this.subs.values()) if (s.keys.size > 0) return false;
    return true;
  }

  apply(service: string, command: string, params: Record<string, unknown>): CommandOutcome {
    const spec = serviceSpec(this.dialect, service);
    const none = { fresh: [], removed: [] };
    if (!spec || spec.unavailable) {
      // docs/protocol/tdameritrade.md §4.3 shows the TD text with a full stop; docs/protocol/schwab.md §4.1 without.
      return { code: 11, msg: this.dialect === 'tdameritrade' ? 'Service not available or temporary down.' : 'Service not available or temporary down', ...none };
    }
    const accountOnly = service === 'ACCT_ACTIVITY' && command !== 'SUBS' && command !== 'UNSUBS';
    if (!isSubCommand(command) || spec.delivery === 'snapshot' || accountOnly) return { code: 21, msg: 'Bad command formatting', ...none };
    const fail = { code: FAILED[command], msg: `${command} command failed`, ...none };
    const keys = parseKeys(params.keys);
    const fields = parseFields(params.fields);
    if (command !== 'VIEW' && (!keys || keys.length === 0)) return fail;
    if (command !== 'UNSUBS' && !fields) return fail;
    let sub = this.subs.get(service);
    if (!sub) {
      sub = { spec, keys: new Set(), fields: new Set() };
      this.subs.set(service, sub);
    }
    switch (command) {
      case 'UNSUBS': {
        const removed = keys!.filter((k) => sub.keys.delete(k));
        return { code: 0, msg: 'UNSUBS command succeeded', fresh: [], removed };
      }
      case 'VIEW':
        sub.fields = fields!;
        return { code: 0, msg: 'VIEW command succeeded', ...none };
      case 'SUBS': {
        const before = [...sub.keys];
        sub.keys = new Set();
        sub.fields = fields!;
        const discarded = this.addKeys(sub, keys!, []);
        const removed = before.filter((k) => !sub.keys.has(k));
        return { ...this.result(command, service, discarded), fresh: [...sub.keys], removed };
      }
      case 'ADD': {
        for (const f of fields!) sub.fields.add(f);
        const fresh: string[] = [];
        const discarded = this.addKeys(sub, keys!, fresh);
        return { ...this.result(command, service, discarded), fresh, removed: [] };
      }
    }
  }

  /** Adds keys up to the service's cap; returns how many were discarded. */
  private addKeys(sub: ServiceSubscription, keys: string[], fresh: string[]): number {
    const cap = this.capOf(sub.spec.name);
    let discarded = 0;
    for (const k of keys) {
      if (sub.keys.has(k)) continue;
      if (sub.keys.size >= cap) {
        discarded++;
        continue;
      }
      sub.keys.add(k);
      fresh.push(k);
    }
    return discarded;
  }

  private result(command: SubCommand, service: string, discarded: number): { code: number; msg: string } {
    if (discarded === 0) return { code: 0, msg: `${command} command succeeded` };
    // Two spaces before the parenthesis, as logged (docs/protocol/schwab.md §4.1).
    return { code: 19, msg: `You've reached the maximum number of symbols allowed.  (${service}=${this.capOf(service)}, DISCARDED=${discarded})` };
  }
}
