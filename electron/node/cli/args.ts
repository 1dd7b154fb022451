/**
 * Flag parsing on top of node:util parseArgs, with errors phrased for a person. Every problem with
 * the command line is a UsageError (exit 2); main.ts adds the command and the pointer to --help.
 */
import { parseArgs, type ParseArgsConfig } from 'node:util';
import { EXCHANGE_ZONE, instantOf, isValidZone, localZone, parseWallClock, zoneLabel } from '../../../shared/time-zone.js';
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

/** What --from/--to accept, for the commands' help. */
export const TIME_HELP = `TIME is ms since the epoch, an ISO date/time with an offset (2026-11-27T09:30:00-05:00,
2026-11-27T14:30Z), or a date/time with a zone ('2026-11-27T09:30 Europe/London',
2026-11-27T09:30[Europe/London], '2026-11-27T09:30 local' for this machine's zone). A date/time
without one is read in exchange time, America/New_York (as the app shows times by default), and
the command says so on stderr.`;
const TIME_FORMS = "ms since the epoch or an ISO date/time such as 2026-11-27T09:30, 2026-11-27T09:30:00-05:00, 2026-11-27T14:30Z, '2026-11-27T09:30 Europe/London' or '2026-11-27T09:30 local'";
const WITH_OFFSET = /^(.+?)(Z|[+-]\d{2}:?\d{2})$/i;
const WITH_ZONE = /^(.+?)(?:\s+([A-Za-z_][\w+/-]*)|\[([^\]]+)\])$/;

/**
 * A time bound: ms since the epoch, an ISO date/time with an offset (`…-05:00`, `…Z`), a wall
 * clock with a zone (`2026-11-27T09:30 America/New_York`, `…[Europe/London]`, `… local` for this
 * machine's), or a bare wall clock, read in exchange time (New York) like the app's default.
 * Whenever a zone was assumed, `note` is told which, so nobody exports the wrong hour unawares.
 */
export function timeFlag(value: string | undefined, flag: string, note: (line: string) => void = (line) => process.stderr.write(`${line}\n`)): number | undefined {
  if (value === undefined) return undefined;
  const text = value.trim();
  if (/^\d+$/.test(text)) return Number(text);
  const bad = () => new UsageError(`${flag} must be ${TIME_FORMS}, not '${value}'`);
  const offset = WITH_OFFSET.exec(text);
  const wallOffset = offset ? parseWallClock(offset[1]!) : null;
  if (offset && wallOffset) {
    const sign = offset[2]!.startsWith('-') ? -1 : 1;
    const [hh, mm] = /^[zZ]$/.test(offset[2]!) ? [0, 0] : [Number(offset[2]!.slice(1, 3)), Number(offset[2]!.slice(-2))];
    if (hh > 23 || mm > 59) throw bad();
    return instantOf(wallOffset, 'UTC') - sign * (hh * 60 + mm) * 60_000;
  }
  const zoned = WITH_ZONE.exec(text);
  const wallZoned = zoned ? parseWallClock(zoned[1]!) : null;
  if (zoned && wallZoned) {
    const name = (zoned[2] ?? zoned[3]!).trim();
    const zone = name.toLowerCase() === 'local' ? localZone() : name;
    if (!isValidZone(zone)) throw new UsageError(`${flag} names an unknown time zone '${name}' (use an IANA name such as America/New_York, or local)`);
    return instantOf(wallZoned, zone);
  }
  const wall = parseWallClock(text);
  if (!wall) throw bad();
  const t = instantOf(wall, EXCHANGE_ZONE);
  note(`${flag} ${text} read as ${EXCHANGE_ZONE} (${zoneLabel(EXCHANGE_ZONE, t)}); add an offset (-05:00), a zone name or 'local' to say otherwise`);
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
