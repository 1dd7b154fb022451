/** Option symbols and descriptions in each dialect's own form (docs/protocol/schwab.md §5.2, §5.9, §6; docs/protocol/tdameritrade.md §5.2, §5.11, §6). */
import type { Dialect } from '../../../shared/protocol/services.js';
import { MONTH_NAMES } from './reference-data.js';

export interface OptionContract {
  /** Underlying as quoted: AAPL, $SPX … */
  underlying: string;
  expiry: number;
  strike: number;
  putCall: 'C' | 'P';
}

const pad2 = (n: number) => String(n).padStart(2, '0');
const ymd = (ms: number) => {
  const d = new Date(ms);
  return { y: d.getUTCFullYear(), m: d.getUTCMonth() + 1, d: d.getUTCDate() };
};
/** Strikes print without trailing zeros in TD symbols (AAPL_011720C300, …C142.5). */
const shortStrike = (s: number) => String(Math.round(s * 1000) / 1000);

/** OCC form: root padded to 6, YYMMDD, C/P, strike × 1000 in 8 digits. */
export function occSymbol(c: OptionContract): string {
  const { y, m, d } = ymd(c.expiry);
  const root = c.underlying.replace(/^\$/, '');
  return `${root.padEnd(6, ' ')}${pad2(y % 100)}${pad2(m)}${pad2(d)}${c.putCall}${String(Math.round(c.strike * 1000)).padStart(8, '0')}`;
}

/** TD form: UNDERLYING_MMDDYY{C|P}STRIKE. */
export function tdOptionSymbol(c: OptionContract): string {
  const { y, m, d } = ymd(c.expiry);
  return `${c.underlying.replace(/^\$/, '')}_${pad2(m)}${pad2(d)}${pad2(y % 100)}${c.putCall}${shortStrike(c.strike)}`;
}

export function optionSymbol(c: OptionContract, dialect: Dialect): string {
  return dialect === 'schwab' ? occSymbol(c) : tdOptionSymbol(c);
}

/** Level-one description: Schwab "GOOG 05/17/2024 70.00 C"; TD "MSFT May 29 2020 145 Call (Weekly)". */
export function optionDescription(c: OptionContract, root: string, weekly: boolean, dialect: Dialect): string {
  const { y, m, d } = ymd(c.expiry);
  if (dialect === 'schwab') return `${root} ${pad2(m)}/${pad2(d)}/${y} ${c.strike.toFixed(2)} ${c.putCall}`;
  return `${root} ${MONTH_NAMES[m - 1]} ${d} ${y} ${shortStrike(c.strike)} ${c.putCall === 'C' ? 'Call' : 'Put'}${weekly ? ' (Weekly)' : ''}`;
}

/** Movers lists: Schwab "SPY    Jun 21 2024 541.0 Put" (root padded to 6, then a space); TD "APV Nov 21 2009 200.0 Call". */
export function moversOptionDescription(c: OptionContract, dialect: Dialect): string {
  const { y, m, d } = ymd(c.expiry);
  const root = c.underlying.replace(/^\$/, '');
  const strike = Number.isInteger(c.strike) ? c.strike.toFixed(1) : String(c.strike);
  const tail = `${MONTH_NAMES[m - 1]} ${pad2(d)} ${y} ${strike} ${c.putCall === 'C' ? 'Call' : 'Put'}`;
  return dialect === 'schwab' ? `${root.padEnd(6, ' ')} ${tail}` : `${root} ${tail}`;
}
