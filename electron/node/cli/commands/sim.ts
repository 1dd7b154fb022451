/** `tapedeck sim`: the local stand-in for the broker cloud, both dialects, until SIGINT/SIGTERM. */
import { parseFault, startSimulator } from '../../sim/index.js';
import { numberFlag, parseFlags } from '../args.js';
import { UsageError, UserError } from '../errors.js';

export const SIM_HELP = `usage: tapedeck sim [--host H] [--port N] [--symbols N] [--rate UPDATES_PER_S] [--seed N]
                   [--heartbeat-ms MS] [--bar-ms MS] [--fault NAME[:SECONDS|:every=SECONDS]]...

Serves the OAuth authorize page, the token endpoint, userPreference / userprincipals and the
streamer sockets of both dialects. Prints "listening on http://HOST:PORT" once ready.
Faults: drop, silence, malformed, deny-login, expire-token, second-login.`;

export async function simCommand(argv: string[]): Promise<number> {
  const f = parseFlags(argv, {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    symbols: { type: 'string' },
    rate: { type: 'string' },
    seed: { type: 'string' },
    'heartbeat-ms': { type: 'string' },
    'bar-ms': { type: 'string' },
    fault: { type: 'string', multiple: true },
  });
  if (f.help) {
    console.log(SIM_HELP);
    return 0;
  }
  const port = numberFlag(f.port, '--port', { min: 0, max: 65535, integer: true }) ?? 0;
  const faults = (f.fault ?? []).map((text) => {
    try {
      return parseFault(text);
    } catch (err) {
      throw new UsageError(`--fault: ${(err as Error).message}`);
    }
  });
  // Every flag is checked before the simulator starts, so a bad value is never reported as a failure to listen.
  const options = {
    host: f.host,
    port,
    symbols: numberFlag(f.symbols, '--symbols', { min: 1, integer: true }),
    rate: numberFlag(f.rate, '--rate', { min: 0 }),
    seed: numberFlag(f.seed, '--seed', { integer: true }),
    heartbeatMs: numberFlag(f['heartbeat-ms'], '--heartbeat-ms', { min: 10 }),
    barMs: numberFlag(f['bar-ms'], '--bar-ms', { min: 100 }),
    faults,
  };
  let sim;
  try {
    sim = await startSimulator(options);
  } catch (err) {
    throw new UserError(`cannot listen on ${f.host}:${port}: ${describeListenError(err)}`);
  }
  console.log(`listening on ${sim.url}`);
  const handle = sim;
  return new Promise((resolve) => {
    const stop = () => {
      void handle.close().then(() => resolve(0));
    };
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}

function describeListenError(err: unknown): string {
  switch ((err as { code?: string }).code) {
    case 'EADDRINUSE':
      return 'the port is in use';
    case 'EACCES':
      return 'permission denied (ports below 1024 need privileges)';
    case 'EADDRNOTAVAIL':
      return 'no such address on this machine';
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return 'no such host';
    default:
      return (err as Error).message;
  }
}
