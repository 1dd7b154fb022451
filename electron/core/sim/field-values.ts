/**
 * Level-one field values of an instrument, by reference field name, in each dialect's units:
 * TD QUOTE/OPTION times are seconds since midnight ET and days since the epoch (tdameritrade.md 5.1);
 * everything else is epoch ms (schwab.md 5). A name with no value here is simply not sent, as the
 * real server leaves out fields that have no value.
 */
import type { FieldValue } from '../../../shared/market.js';
import type { Dialect } from '../../../shared/protocol/services.js';
import type { Instrument } from './instruments.js';

const ET_OFFSET_MS = 5 * 3600_000;
const secondsSinceMidnightEt = (ms: number) => Math.floor(((ms - ET_OFFSET_MS) % 86_400_000) / 1000);
const daysSinceEpoch = (ms: number) => Math.floor(ms / 86_400_000);
const round = (v: number, d: number) => Math.round(v * 10 ** d) / 10 ** d;

const EXCHANGE: Record<Instrument['kind'], [string, string]> = {
  equity: ['Q', 'NASDAQ'],
  option: ['O', 'OPR'],
  future: ['E', 'XCME'],
  'future-option': ['E', 'XCME'],
  forex: ['T', 'GFT'],
};

export function fieldValue(name: string, inst: Instrument, dialect: Dialect, service: string): FieldValue | undefined {
  const td = dialect === 'tdameritrade';
  const secondsClock = td && (service === 'QUOTE' || service === 'OPTION');
  const net = round(inst.last - inst.close, inst.digits + 2);
  switch (name) {
    case 'bid_price': return inst.bid;
    case 'ask_price': return inst.ask;
    case 'last_price': return inst.last;
    case 'mark': return round((inst.bid + inst.ask) / 2, inst.digits + 1);
    case 'bid_size': return inst.bidSize;
    case 'ask_size': return inst.askSize;
    case 'last_size': return inst.lastSize;
    case 'total_volume': return inst.volume;
    case 'high_price': return inst.high;
    case 'low_price': return inst.low;
    case 'open_price': return inst.open;
    case 'close_price': return inst.close;
    case 'net_change': return net;
    case 'net_change_percent':
    case 'net_percent_change':
    case 'change_percent': return round((net / inst.close) * 100, 4);
    case 'future_percent_change':
    case 'future_change_percent': return round(net / inst.close, 6);
    case 'quote_time': return secondsClock ? secondsSinceMidnightEt(inst.quoteTime) : inst.quoteTime;
    case 'trade_time': return secondsClock ? secondsSinceMidnightEt(inst.tradeTime) : inst.tradeTime;
    case 'quote_time_millis':
    case 'quote_time_in_long':
    case 'bid_time_millis':
    case 'ask_time_millis': return inst.quoteTime;
    case 'trade_time_millis':
    case 'trade_time_in_long': return inst.tradeTime;
    case 'quote_day':
    case 'trade_day': return daysSinceEpoch(inst.tradeTime);
    case 'description': return inst.description;
    case 'exchange_id': return EXCHANGE[inst.kind][0];
    case 'exchange_name': return EXCHANGE[inst.kind][1];
    case 'bid_id':
    case 'ask_id':
    case 'last_id': return inst.kind === 'equity' ? 'Q' : '?';
    case 'security_status': return 'Normal';
    case 'digits': return inst.digits;
    case 'marginable':
    case 'shortable': return true;
    case 'delayed': return false;
    case 'high_price_52_week':
    case 'high_52_week': return round(inst.close * 1.3, inst.digits);
    case 'low_price_52_week':
    case 'low_52_week': return round(inst.close * 0.7, inst.digits);
    case 'tick': return inst.tick;
    case 'product':
    case 'future_active_symbol': return inst.kind === 'future' ? inst.symbol : undefined;
    case 'future_multiplier':
    case 'multiplier': return inst.kind === 'future' ? 50 : inst.kind === 'option' ? 100 : undefined;
    case 'open_interest': return inst.kind === 'option' || inst.kind === 'future' ? 1000 + (inst.trades % 5000) : undefined;
    default: return undefined;
  }
}
