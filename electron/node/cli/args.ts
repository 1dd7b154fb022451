/**
 * Flag parsing on top of node:util parseArgs, with errors phrased for a person. Every problem with
 * the command line is a UsageError (exit 2); main.ts adds the command and the pointer to --help.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { UsageError } from './errors.js';

type Options = NonNullable<ParseArgsConfig['options']>;

export function parseFlags<T extends Options>(argv: string[], options: T) {
  try {
    return parseArgs({ args: joinNegativeNumbers(argv, options), options: { ...options, help: { type: 'boolean', short: 'h' } }, strict: true, allowPositionals: false })
      .values;
  } catch (err) {
    throw new UsageError(describeParseError(err as Error & { code?: string }));
  }
}

/**
 * `--duration -5` is a negative number, not a missing value: it becomes `--duration=-5`, so the
 * flag's own check can say what range it takes (parseArgs would call it "ambiguous", in three lines).
 */
function joinNegativeNumbers(argv: string[], options: Options): string[] {
  const out: string[] = [];
  for (let i = 0; i < argv.length; i++) {
    const arg = argv[i]!;
    const next = argv[i + 1];
    const name = arg.startsWith('--') ? arg.slice(2) : null;
    if (name !== null && options[name]?.type === 'string' && next !== undefined && /^-(\d|\.\d)/.test(next)) {
      out.push(`${arg}=${next}`);
      i++;
    } else out.push(arg);
  }
  return out;
}

function describeParseError(err: Error & { code?: string }): string {
  const flag = /'(-{1,2}[^' <]+)/.exec(err.message)?.[1] ?? '';
  switch (err.code) {
    case 'ERR_PARSE_ARGS_UNKNOWN_OPTION':
      return `unknown flag '${flag}'`;
    case 'ERR_PARSE_ARGS_UNEXPECTED_POSITIONAL': {
      const arg = /argument '([^']*)'/.exec(err.message)?.[1] ?? '';
      return `unexpected argument '${arg}' (values follow their flag, as in --db FILE)`;
    }
    case 'ERR_PARSE_ARGS_INVALID_OPTION_VALUE':
      if (/does not take an argument/.test(err.message)) return `${flag} takes no value`;
      if (/ambiguous/.test(err.message)) return `${flag} needs a value (write ${flag}=VALUE for one that starts with '-')`;
      return `${flag} needs a value`;
    default:
      return err.message.split('\n')[0] ?? err.message;
  }
}

export function requireFlag(value: string | undefined, flag: string, what?: string): string {
  if (value === undefined || value === '') throw new UsageError(`${flag} is required${what ? ` (${what})` : ''}`);
  return value;
}

export function numberFlag(value: string | undefined, flag: string, opts: { min?: number; max?: number; integer?: boolean } = {}): number | undefined {
  if (value === undefined) return undefined;
  const n = Number(value);
  const { min, max } = opts;
  if (value.trim() === '' || !Number.isFinite(n) || (opts.integer && !Number.isInteger(n)) || (min !== undefined && n < min) || (max !== undefined && n > max)) {
    const what = opts.integer ? 'a whole number' : 'a number';
    const range = min !== undefined && max !== undefined ? ` from ${min} to ${max}` : min !== undefined ? ` >= ${min}` : max !== undefined ? ` <= ${max}` : '';
    throw new UsageError(`${flag} must be ${what}${range}, not '${value}'`);
  }
  return n;
}

export function listFlag(value: string | undefined): string[] {
  if (value === undefined) return [];
  return value.split(',').map((s) => s.trim()).filter((s) => s !== '');
}

/** A time bound: ms epoch or an ISO-8601 date/time. */
export function timeFlag(value: string | undefined, flag: string): number | undefined {
  if (value === undefined) return undefined;
  if (/^\d+$/.test(value)) return Number(value);
  const t = Date.parse(value);
  if (Number.isNaN(t)) throw new UsageError(`${flag} must be ms since the epoch or an ISO date/time, not '${value}'`);
  return t;
}

/** An http(s) base URL flag (--api-base, --auth-base), normalised. */
export function baseUrlFlag(value: string | undefined, flag: string): string | undefined {
  if (value === undefined) return undefined;
  const port = /^[a-z]+:\/\/[^/?#]*:(\d+)(?:[/?#]|$)/i.exec(value)?.[1];
  if (port !== undefined && Number(port) > 65535) throw new UsageError(`${flag} names port ${port}, beyond the last port, 65535`);
  let url: URL;
  try {
    url = new URL(value);
  } catch {
    throw new UsageError(`${flag} must be an http:// or https:// URL such as https://api.schwabapi.com, not '${value}'`);
  }
  if (url.protocol !== 'http:' && url.protocol !== 'https:') {
    throw new UsageError(`${flag} must be an http:// or https:// URL such as https://api.schwabapi.com, not '${value}'`);
  }
  if (url.search || url.hash) throw new UsageError(`${flag} must not carry a query or fragment, as '${value}' does`);
  return url.toString().replace(/\/+$/, '');
}
