/**
 * Price alerts as data: the rule, what a firing records, their schemas (the API contract and the
 * stored document use them), and the one-line grammar `record --alert` and the alerts panel accept:
 *
 *   SYMBOL FIELD OP VALUE [once|rearm]
 *
 * FIELD is last, bid, ask, change% (or changePct) or volume; OP is `>` (above), `<` (below) or
 * `crosses`; the mode defaults to once. Examples: `AAPL last > 230`, `/ES bid < 5000 rearm`,
 * `EUR/USD ask crosses 1.0850`. The symbol is everything before FIELD, so an OCC option symbol with
 * its inner spaces is one symbol. Runs anywhere (no Node, no DOM).
 */
import * as v from 'valibot';
import type { Dialect } from './protocol/services.js';
import { classifySymbol } from './symbols.js';

export const ALERT_FIELDS = ['last', 'bid', 'ask', 'changePct', 'volume'] as const;
export type AlertField = (typeof ALERT_FIELDS)[number];
export const ALERT_OPS = ['above', 'below', 'crosses'] as const;
export type AlertOp = (typeof ALERT_OPS)[number];
export const ALERT_MODES = ['once', 'rearm'] as const;
export type AlertMode = (typeof ALERT_MODES)[number];

export const ALERT_LIMITS = { rules: 500, recentFirings: 100 } as const;

/** How a field is written in the grammar and shown. */
export const FIELD_WORDS: Record<AlertField, string> = { last: 'last', bid: 'bid', ask: 'ask', changePct: 'change%', volume: 'volume' };
const OP_WORDS: Record<AlertOp, string> = { above: '>', below: '<', crosses: 'crosses' };
const FIELD_BY_WORD: Record<string, AlertField> = { last: 'last', bid: 'bid', ask: 'ask', 'change%': 'changePct', changepct: 'changePct', '%change': 'changePct', volume: 'volume' };
const OP_BY_WORD: Record<string, AlertOp> = { '>': 'above', above: 'above', '<': 'below', below: 'below', crosses: 'crosses' };

export const AlertId = v.pipe(v.string(), v.regex(/^[\w-]{1,64}$/, 'an alert id is 1 to 64 letters, digits, _ or -'));
const Threshold = v.pipe(v.number('the threshold is a number'), v.finite('the threshold is a finite number'));
const AlertSymbol = v.pipe(v.string(), v.minLength(1, 'an alert needs a symbol'), v.maxLength(32, 'a symbol has at most 32 characters'));

/** What a person chooses for a rule (create, and the whole of an edit). */
export const AlertDraftSchema = v.strictObject({
  symbol: AlertSymbol,
  field: v.picklist(ALERT_FIELDS, 'the field is last, bid, ask, changePct or volume'),
  op: v.picklist(ALERT_OPS, 'the condition is above, below or crosses'),
  threshold: Threshold,
  mode: v.picklist(ALERT_MODES, 'an alert fires once or re-arms'),
});
export type AlertDraft = v.InferOutput<typeof AlertDraftSchema>;

export const AlertRuleSchema = v.object({
  ...AlertDraftSchema.entries,
  id: AlertId,
  enabled: v.boolean(),
  /** When it last fired (ms epoch), or null. */
  lastFiredAt: v.nullable(v.number()),
});
export type AlertRule = v.InferOutput<typeof AlertRuleSchema>;

export const AlertFiringSchema = v.object({
  ruleId: AlertId,
  symbol: v.string(),
  field: v.picklist(ALERT_FIELDS),
  op: v.picklist(ALERT_OPS),
  threshold: v.number(),
  /** The field's value in the update that fired it. */
  value: v.number(),
  firedAt: v.number(),
  /** When the triggering update was received (ms epoch). */
  receivedAt: v.number(),
  /** The rule as text, in the grammar (for lines, notifications and the panel). */
  text: v.string(),
});
export type AlertFiring = v.InferOutput<typeof AlertFiringSchema>;

export const AlertsStateSchema = v.object({
  rules: v.array(AlertRuleSchema),
  /** Recent firings since the app started or the history was cleared, newest first. */
  firings: v.array(AlertFiringSchema),
});
export type AlertsState = v.InferOutput<typeof AlertsStateSchema>;

/** The rule in the grammar: `AAPL last > 230`, `/ES bid < 5000 rearm`. */
export function formatAlert(rule: Pick<AlertRule, 'symbol' | 'field' | 'op' | 'threshold' | 'mode'>): string {
  const mode = rule.mode === 'rearm' ? ' rearm' : '';
  return `${rule.symbol} ${FIELD_WORDS[rule.field]} ${OP_WORDS[rule.op]} ${formatNumber(rule.threshold)}${mode}`;
}

/** Plain decimal, no exponent and no grouping, so it parses back (1e-7 → 0.0000001). */
export function formatNumber(n: number): string {
  if (Number.isInteger(n)) return String(n);
  const s = String(n);
  return /e/i.test(s) ? n.toFixed(12).replace(/0+$/, '').replace(/\.$/, '') : s;
}

export type AlertParse = { ok: true; draft: AlertDraft } | { ok: false; error: string };

/**
 * One rule from its text. `dialect` decides which option symbol form is valid (as for watchlists).
 * Errors say what was expected where, with an example.
 */
export function parseAlert(text: string, dialect: Dialect): AlertParse {
  const fail = (error: string): AlertParse => ({ ok: false, error });
  const example = "e.g. 'AAPL last > 230' or '/ES bid < 5000 rearm'";
  const trimmed = text.trim();
  if (trimmed === '') return fail(`an alert is SYMBOL FIELD OP VALUE [once|rearm], ${example}`);
  // Words with where they start: the symbol is the text before the field word, inner spaces kept
  // (an OCC option symbol pads its root with spaces).
  const tokens = [...trimmed.matchAll(/\S+/g)].map((m) => ({ word: m[0], at: m.index }));
  const words = tokens.map((t) => t.word);
  let mode: AlertMode = 'once';
  const lastWord = words[words.length - 1]!.toLowerCase();
  if (words.length > 1 && (lastWord === 'once' || lastWord === 'rearm')) {
    mode = lastWord;
    words.pop();
  }
  const fieldAt = words.findIndex((w, i) => i > 0 && FIELD_BY_WORD[w.toLowerCase()] !== undefined);
  if (fieldAt < 0) return fail(`'${trimmed}': expected a field (last, bid, ask, change% or volume) after the symbol, ${example}`);
  const field = FIELD_BY_WORD[words[fieldAt]!.toLowerCase()]!;
  const symbolText = trimmed.slice(0, tokens[fieldAt]!.at).trim();
  const rest = words.slice(fieldAt + 1);
  if (rest.length === 0) return fail(`'${trimmed}': expected >, < or crosses after ${words[fieldAt]}`);
  const op = OP_BY_WORD[rest[0]!.toLowerCase()];
  if (!op) return fail(`'${rest[0]}' is not a condition: use >, < or crosses (${example})`);
  if (rest.length === 1) return fail(`'${trimmed}': expected a number after ${rest[0]}`);
  if (rest.length > 2) return fail(`'${rest.slice(2).join(' ')}' is not understood: an alert ends with its value and, optionally, once or rearm`);
  const valueText = rest[1]!.replace(/%$/, '');
  const threshold = Number(valueText);
  if (valueText === '' || !/^[-+]?(\d+\.?\d*|\.\d+)(e[-+]?\d+)?$/i.test(valueText) || !Number.isFinite(threshold)) {
    return fail(`'${rest[1]}' is not a number (write 230, 1.0850 or -2.5)`);
  }
  const symbol = classifySymbol(symbolText, dialect);
  if (!symbol.ok) return fail(symbol.error);
  return { ok: true, draft: { symbol: symbol.symbol, field, op, threshold, mode } };
}
