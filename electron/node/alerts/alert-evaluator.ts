/**
 * Evaluates alert rules on every merged level-one record the engine produces (an Engine update
 * listener). Rules are indexed by symbol, so an update for a symbol without rules costs one map
 * lookup; only enabled rules are indexed. What happens on a firing (store it, tell the windows,
 * disable a `once` rule) is the owner's business, told synchronously so the firing can be stored
 * with the frame that carried the update.
 */
import type { AlertRule } from '../../../shared/alerts.js';
import type { QuoteRecord } from '../../../shared/engine-events.js';
import type { MarketUpdate } from '../../../shared/market.js';
import type { Dialect } from '../../../shared/protocol/services.js';
import { levelOneRoute } from '../../../shared/routing.js';
import { freshState, step, type RuleState } from './alert-state.js';
import { alertValue } from './alert-value.js';

export type AlertHit = (rule: AlertRule, value: number, receivedAt: number) => void;

interface Watched {
  rule: AlertRule;
  state: RuleState;
  /** What the state was built for: an edit (or a re-enable) starts the rule afresh. */
  signature: string;
}

interface SymbolRules {
  /** The level-one service whose records carry the symbol (book and chart records share the key). */
  service: string;
  rules: Watched[];
}

const signatureOf = (r: AlertRule) => `${r.symbol}\u0000${r.field}\u0000${r.op}\u0000${r.threshold}\u0000${r.mode}`;

export class AlertEvaluator {
  private bySymbol = new Map<string, SymbolRules>();

  constructor(
    private readonly dialect: Dialect,
    private readonly onHit: AlertHit,
  ) {}

  /** The rules to watch now; unchanged rules keep their state (armed, last side). */
  setRules(rules: readonly AlertRule[]): void {
    const previous = new Map<string, Watched>();
    for (const entry of this.bySymbol.values()) for (const w of entry.rules) previous.set(w.rule.id, w);
    const next = new Map<string, SymbolRules>();
    for (const rule of rules) {
      if (!rule.enabled) continue;
      const route = levelOneRoute(rule.symbol, this.dialect);
      if (!route) continue;
      const signature = signatureOf(rule);
      const old = previous.get(rule.id);
      const watched: Watched = { rule, signature, state: old && old.signature === signature ? old.state : freshState() };
      let entry = next.get(route.key);
      if (!entry) next.set(route.key, (entry = { service: route.service, rules: [] }));
      entry.rules.push(watched);
    }
    this.bySymbol = next;
  }

  /** Symbols with enabled rules (they must be subscribed). */
  symbols(): string[] {
    return [...this.bySymbol.keys()];
  }

  /** The engine's update listener. */
  readonly observe = (_update: MarketUpdate, record: QuoteRecord, receivedAt: number): void => {
    const entry = this.bySymbol.get(record.key);
    if (entry === undefined || entry.service !== record.service) return;
    for (const w of entry.rules) {
      const value = alertValue(record.fields, w.rule.field);
      if (value !== null && step(w.state, w.rule.op, w.rule.threshold, value)) this.onHit(w.rule, value, receivedAt);
    }
  };
}
