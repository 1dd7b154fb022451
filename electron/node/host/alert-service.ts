/**
 * Alerts in the host: the rules (persisted beside the watchlists, in the `alerts` document), their
 * evaluation on every update of the running engine, and what a firing does — stored in the
 * database's `alerts` table with its update (when recording), pushed to every window
 * (`alert:fired`; the Electron shell turns it into a notification), kept in a short recent list.
 * All of it happens here, so alerts fire with no window shown.
 */
import { randomUUID } from 'node:crypto';
import * as v from 'valibot';
import { ALERT_LIMITS, AlertRuleSchema, formatAlert, type AlertDraft, type AlertFiring, type AlertRule, type AlertsState } from '../../../shared/alerts.js';
import type { Handlers } from '../../../shared/api.js';
import type { Dialect } from '../../../shared/protocol/services.js';
import { classifySymbol } from '../../../shared/symbols.js';
import { AlertEvaluator } from '../alerts/alert-evaluator.js';
import type { Engine } from '../engine/engine.js';
import type { DocumentStore } from './document-store.js';
import type { EventBus } from './event-bus.js';

const DOCUMENT = 'alerts';

type AlertHandlers = Pick<Handlers, 'alerts:list' | 'alerts:create' | 'alerts:update' | 'alerts:delete' | 'alerts:clear-history'>;

export class AlertService {
  private rules: AlertRule[];
  private firings: AlertFiring[] = [];
  private engine: Engine | null = null;
  private evaluator: AlertEvaluator | null = null;
  private readonly changeListeners = new Set<() => void>();

  constructor(
    private readonly docs: DocumentStore,
    private readonly bus: EventBus,
    private readonly dialect: () => Dialect,
  ) {
    const stored = docs.read(DOCUMENT, (text) => bus.message('warning', text));
    this.rules = this.readRules(stored);
  }

  readonly handlers: AlertHandlers = {
    'alerts:list': async () => this.state(),
    'alerts:create': async (draft) => {
      if (this.rules.length >= ALERT_LIMITS.rules) throw new Error(`at most ${ALERT_LIMITS.rules} alerts`);
      const rule: AlertRule = { ...this.checked(draft), id: `alert-${randomUUID()}`, enabled: true, lastFiredAt: null };
      this.commit([...this.rules, rule]);
      return structuredClone(rule);
    },
    'alerts:update': async ({ id, draft, enabled }) => {
      const rule = this.find(id);
      const next: AlertRule = { ...rule, ...(draft ? this.checked(draft) : {}), enabled: enabled ?? rule.enabled };
      this.commit(this.rules.map((r) => (r.id === id ? next : r)));
      return structuredClone(next);
    },
    'alerts:delete': async ({ id }) => {
      this.find(id);
      this.commit(this.rules.filter((r) => r.id !== id));
      return this.state();
    },
    'alerts:clear-history': async () => {
      this.firings = [];
      this.bus.emit('alerts:changed', this.state());
      return this.state();
    },
  };

  /** Watches the updates of a newly started engine (the supervisor starts one per provider or login). */
  attach(engine: Engine): void {
    this.engine = engine;
    this.evaluator = new AlertEvaluator(this.dialect(), (rule, value, receivedAt) => this.fired(rule, value, receivedAt));
    this.evaluator.setRules(this.rules);
    engine.onUpdate(this.evaluator.observe);
  }

  /** Symbols of enabled rules: level one must be subscribed for them even when no watchlist has them. */
  symbols(): string[] {
    return [...new Set(this.rules.filter((r) => r.enabled).map((r) => r.symbol))];
  }

  state(): AlertsState {
    return { rules: structuredClone(this.rules), firings: structuredClone(this.firings) };
  }

  onChange(listener: () => void): void {
    this.changeListeners.add(listener);
  }

  private fired(rule: AlertRule, value: number, receivedAt: number): void {
    const firedAt = Date.now();
    const text = formatAlert(rule);
    const firing: AlertFiring = { ruleId: rule.id, symbol: rule.symbol, field: rule.field, op: rule.op, threshold: rule.threshold, value, firedAt, receivedAt, text };
    this.engine?.recordAlert({ ruleId: rule.id, rule: text, symbol: rule.symbol, field: rule.field, op: rule.op, threshold: rule.threshold, value, firedAt, receivedAt });
    this.firings = [firing, ...this.firings].slice(0, ALERT_LIMITS.recentFirings);
    // A `once` rule is switched off; either way the time is kept, so the panel can show it.
    const next: AlertRule = { ...rule, lastFiredAt: firedAt, enabled: rule.mode === 'rearm' && rule.enabled };
    this.commit(this.rules.map((r) => (r.id === rule.id ? next : r)), rule.mode === 'rearm');
    this.bus.emit('alert:fired', firing);
  }

  /** The draft with its symbol in the current dialect's grammar (as watchlists check theirs). */
  private checked(draft: AlertDraft): AlertDraft {
    const c = classifySymbol(draft.symbol, this.dialect());
    if (!c.ok) throw new Error(c.error);
    return { ...draft, symbol: c.symbol };
  }

  private find(id: string): AlertRule {
    const rule = this.rules.find((r) => r.id === id);
    if (!rule) throw new Error('that alert no longer exists');
    return rule;
  }

  /**
   * `subscriptionsUnchanged`: a re-arming rule that fired keeps its symbol; nothing to replan. The
   * evaluator keeps the state of rules whose settings did not change (alert-evaluator.ts).
   */
  private commit(next: AlertRule[], subscriptionsUnchanged = false): void {
    this.rules = next;
    this.docs.write(DOCUMENT, { alerts: next });
    this.evaluator?.setRules(next);
    this.bus.emit('alerts:changed', this.state());
    if (!subscriptionsUnchanged) for (const l of this.changeListeners) l();
  }

  /** Stored rules: each one is checked on its own, so one damaged rule costs only itself. */
  private readRules(stored: unknown): AlertRule[] {
    if (stored === undefined) return [];
    const raw = (stored as { alerts?: unknown } | null)?.alerts;
    if (!Array.isArray(raw)) {
      this.bus.message('warning', 'The saved alerts could not be read (not a list of alerts); starting with none. Watchlists and settings are not affected.');
      return [];
    }
    const rules: AlertRule[] = [];
    const ids = new Set<string>();
    let skipped = 0;
    for (const item of raw.slice(0, ALERT_LIMITS.rules)) {
      const r = v.safeParse(AlertRuleSchema, item);
      if (!r.success || ids.has(r.output.id)) skipped++;
      else {
        ids.add(r.output.id);
        rules.push(r.output);
      }
    }
    if (skipped > 0) {
      this.bus.message('warning', `${skipped} saved alert${skipped === 1 ? '' : 's'} could not be read and ${skipped === 1 ? 'was' : 'were'} left out; the other alerts, watchlists and settings are unchanged.`);
    }
    return rules;
  }
}
