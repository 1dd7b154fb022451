/**
 * The value an alert watches, read from a merged level-one record. Field names are the reference
 * names (shared/protocol/fields.*.ts); % change is computed like the grid's column, from net change
 * and the previous close where both exist, else taken from the field the service sends.
 */
import type { AlertField } from '../../../shared/alerts.js';
import type { FieldValue } from '../../../shared/market.js';

type Fields = Readonly<Record<string, FieldValue>>;

const num = (v: FieldValue | undefined): number | null => (typeof v === 'number' && Number.isFinite(v) ? v : null);

function changePct(f: Fields): number | null {
  const net = num(f.net_change);
  const close = num(f.close_price);
  if (net !== null && close !== null && close !== 0) return (net / close) * 100;
  return num(f.net_change_percent) ?? num(f.change_percent) ?? num(f.net_percent_change) ?? num(f.future_change_percent);
}

/** The field's current value, or null when the record has none (yet). */
export function alertValue(fields: Fields, field: AlertField): number | null {
  switch (field) {
    case 'last':
      return num(fields.last_price);
    case 'bid':
      return num(fields.bid_price);
    case 'ask':
      return num(fields.ask_price);
    case 'volume':
      return num(fields.total_volume);
    case 'changePct':
      return changePct(fields);
  }
}
