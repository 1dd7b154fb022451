/**
 * Items of Change-delivery (level-one) services: the first item for a key carries every subscribed
 * field that has a value plus the metadata; later items only `key` and the subscribed fields that
 * changed (docs/protocol/schwab.md §4.4). Metadata rules differ: Schwab sends delayed/assetMainType/assetSubType/cusip
 * on the first item only; TD repeats delayed, assetMainType and cusip on every item (docs/protocol/tdameritrade.md §4.6).
 */
import type { FieldValue } from '../../../shared/market.js';
import type { Dialect, ServiceSpec } from '../../../shared/protocol/services.js';
import type { CompiledField, FieldContext } from './field-values.js';
import type { Instrument } from './instrument.js';

export type Item = Record<string, unknown>;

const MAIN_TYPE: Record<Dialect, Record<Instrument['ref']['kind'], string | undefined>> = {
  schwab: { equity: 'EQUITY', index: 'INDEX', option: 'OPTION', future: 'FUTURE', 'future-option': 'FUTURE_OPTION', forex: 'FOREX' },
  // TD's real futures-option capture has no assetMainType (docs/protocol/tdameritrade.md §4.4).
  tdameritrade: { equity: 'EQUITY', index: 'INDEX', option: 'OPTION', future: 'FUTURE', 'future-option': undefined, forex: 'FOREX' },
};

function addMeta(item: Item, inst: Instrument, dialect: Dialect, delayed: boolean): void {
  const ref = inst.ref;
  item.delayed = delayed;
  const main = MAIN_TYPE[dialect][ref.kind];
  if (main) item.assetMainType = main;
  if (dialect === 'schwab') {
    if (ref.kind === 'equity' && ref.subType) item.assetSubType = ref.subType;
    if (ref.kind === 'equity') item.cusip = ref.cusip;
    else if (ref.kind === 'option') item.cusip = '';
  } else {
    if (ref.kind === 'equity' && ref.subType === 'ETF') item.assetSubType = 'ETF';
    if (ref.kind === 'equity') item.cusip = ref.cusip;
    else if (ref.kind === 'option') item.cusip = tdOptionCusip(inst);
  }
}

/** TD option CUSIPs look like "0MSFT.ET00145000" (docs/protocol/tdameritrade.md §4.4): root, month/day letters, strike. */
function tdOptionCusip(inst: Instrument): string {
  const o = inst.ref.option!;
  const d = new Date(o.expiry);
  const month = String.fromCharCode((o.putCall === 'C' ? 65 : 77) + d.getUTCMonth());
  const day = String.fromCharCode(64 + Math.min(26, d.getUTCDate()));
  return `0${o.underlying.replace(/^\$/, '')}.${month}${day}${String(Math.round(o.strike * 1000)).padStart(8, '0')}`;
}

export interface ChangeStream {
  spec: ServiceSpec;
  key: string;
  fields: CompiledField[];
  ctx: FieldContext;
  /** Last value sent per field id: what makes a delta a delta. */
  sent: (FieldValue | undefined)[];
  /** The item-level `delayed` flag this key's items carry (`sim --delayed`). */
  delayed: boolean;
}

/** The next item for a key, or null when nothing it subscribes to changed. */
export function changeItem(s: ChangeStream, inst: Instrument, first: boolean): Item | null {
  const item: Item = { key: s.key };
  const td = s.spec.dialect === 'tdameritrade';
  if (first || td) addMeta(item, inst, s.spec.dialect, s.delayed);
  let changed = 0;
  const sent = s.sent;
  for (const f of s.fields) {
    const before = sent[f.id];
    if (!first && f.fixed && before !== undefined) continue;
    const v = f.get(inst, s.ctx);
    if (v === undefined || (!first && before === v)) continue;
    sent[f.id] = v;
    item[f.key] = v;
    changed++;
  }
  return first || changed > 0 ? item : null;
}

/**
 * The one item a malformed key gets: description "Symbol not found" and, for futures, the other
 * placeholder strings of the captured unknown-symbol frame (docs/protocol/schwab.md §10, docs/protocol/tdameritrade.md §5.3).
 * The U+FFFD values of that capture are what the `malformed` fault sends; this item stays valid JSON.
 */
export function notFoundItem(spec: ServiceSpec, key: string, subscribed: ReadonlySet<number>): Item {
  const item: Item = { key, delayed: false };
  const futures = spec.keyKind === 'future' || spec.keyKind === 'future-option';
  for (const id of subscribed) {
    const name = spec.fields[id]?.name;
    if (name === 'description') item[String(id)] = 'Symbol not found';
    else if (futures && (name === 'bid_id' || name === 'ask_id' || name === 'last_id')) item[String(id)] = '?';
    else if (futures && name === 'exchange_name') item[String(id)] = 'unavailable';
    else if (futures && name === 'security_status') item[String(id)] = 'Unknown';
    else if (futures && name === 'future_price_format') item[String(id)] = 'D,D';
  }
  return item;
}
