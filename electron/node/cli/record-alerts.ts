/**
 * `record --alert 'RULE'`: the rules from the command line (shared/alerts.ts grammar), evaluated on
 * every update of the engine; each firing is one stderr line and a row in the `alerts` table.
 */
import { formatAlert, formatNumber, FIELD_WORDS, parseAlert, type AlertRule } from '../../../shared/alerts.js';
import type { Dialect } from '../../../shared/protocol/services.js';
import { AlertEvaluator } from '../alerts/alert-evaluator.js';
import type { Engine } from '../engine/engine.js';
import { UsageError } from './errors.js';

/** The rules of the repeated --alert flag; a malformed one is a usage error (exit 2) naming it. */
export function parseAlertFlags(texts: readonly string[], dialect: Dialect): AlertRule[] {
  return texts.map((text, i) => {
    const parsed = parseAlert(text, dialect);
    if (!parsed.ok) throw new UsageError(`--alert: ${parsed.error}`);
    return { ...parsed.draft, id: `cli-${i + 1}`, enabled: true, lastFiredAt: null };
  });
}

/** Watches the engine's updates; `log` prints a line (the status line adds the time). */
export function watchAlerts(engine: Engine, rules: AlertRule[], dialect: Dialect, log: (line: string) => void): void {
  if (rules.length === 0) return;
  let current = rules;
  const evaluator = new AlertEvaluator(dialect, (rule, value, receivedAt) => {
    const text = formatAlert(rule);
    const firedAt = Date.now();
    engine.recordAlert({ ruleId: rule.id, rule: text, symbol: rule.symbol, field: rule.field, op: rule.op, threshold: rule.threshold, value, firedAt, receivedAt });
    log(`alert fired: ${text} (${FIELD_WORDS[rule.field]} ${formatNumber(value)})`);
    if (rule.mode === 'once') {
      current = current.map((r) => (r.id === rule.id ? { ...r, enabled: false, lastFiredAt: firedAt } : r));
      evaluator.setRules(current);
    }
  });
  evaluator.setRules(current);
  engine.onUpdate(evaluator.observe);
}
