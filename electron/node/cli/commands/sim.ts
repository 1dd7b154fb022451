/** `tapedeck sim`: the local stand-in for the broker cloud, both dialects, until SIGINT/SIGTERM. */
import { parseFault, startSimulator } from '../../sim/index.js';
import { numberFlag, parseFlags } from '../args.js';
import { UserError } from '../errors.js';

export const SIM_HELP = `usage: tapedeck sim [--host H] [--port N] [--symbols N] [--rate UPDATES_PER_S] [--seed N]
                   [--heartbeat-ms MS] [--bar-ms MS] [--fault NAME[:SECONDS|:every=SECONDS]]...

Serves the OAuth authorize page, the token endpoint, userPreference / userprincipals and the
streamer sockets of both dialects. Prints "listening on http://HOST:PORT" once ready.
Faults: drop, silence, malformed, deny-login, expire-token, second-login.`;

export async function simCommand(argv: string[]): Promise<number> {
  const f = parseFlags('sim', argv, {
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
  const port = numberFlag('sim', f.port, '--port', { min: 0, integer: true }) ?? 0;
  if (port > 65535) throw new UserError('sim: --port must be 0 to 65535');
  const faults = (f.fault ?? []).map((text) => {
    try {
      return parseFault(text);
    } catch (err) {
      throw new UserError(`sim: --fault ${(err as Error).message}`);
    }
  });
  let sim;
  try {
    sim = await startSimulator({
      host: f.host,
      port,
      symbols: numberFlag('sim', f.symbols, '--symbols', { min: 1, integer: true }),
      rate: numberFlag('sim', f.rate, '--rate', { min: 0 }),
      seed: numberFlag('sim', f.seed, '--seed', { integer: true }),
      heartbeatMs: numberFlag('sim', f['heartbeat-ms'], '--heartbeat-ms', { min: 10 }),
      barMs: numberFlag('sim', f['bar-ms'], '--bar-ms', { min: 100 }),
      faults,
    });
  } catch (err) {
    throw new UserError(`sim: cannot listen on ${f.host}:${port}: ${(err as Error).message}`, 1);
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
