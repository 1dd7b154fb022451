/** Flag parsing on top of node:util parseArgs, with errors phrased for a person. */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UserError } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseFlags<T extends Options>(command: string, argv: string[], options: T) {
  try {
    return parseArgs({ args: argv, options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false }).values;
  } catch (err) {
    const msg = (err as Error).message.replace(/\. To specify a positional argument.*$/s, '').replace(/^Unknown option/, 'unknown flag');
    throw new UserError(`${command}: ${msg} (see 'tapedeck ${command} --help')`);
  }
}

export function requireFlag(command: string, value: string | undefined, flag: string): string {
  if (value === undefined || value === '') throw new UserError(`${command}: ${flag} is required`);
  return value;
}

export function numberFlag(command: string, value: string | undefined, flag: string, opts: { min?: number; integer?: boolean } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  if (value.trim() === '' || !Number.isFinite(n) || (opts.integer && !Number.isInteger(n)) || (opts.min !== undefined && n < opts.min)) {
    const what = opts.integer ? 'a whole number' : 'a number';
    throw new UserError(`${command}: ${flag} must be ${what}${opts.min !== undefined ? ` >= ${opts.min}` : ''}, not '${value}'`);
  }
  return n;
}

export function listFlag(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** A time bound: ms epoch or an ISO-8601 date/time. */
export function timeFlag(command: string, value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new UserError(`${command}: ${flag} must be ms since the epoch or an ISO date/time, not '${value}'`);
  return t;
}
