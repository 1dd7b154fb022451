/** `tapedeck sim`: the local stand-in for the broker cloud, both dialects, until SIGINT/SIGTERM. */
import { writeFileSync } from 'node:fs';
import { isMarketOverride, MARKET_OVERRIDES, parseFault, parseSymbolList, startSimulator } from '../../sim/index.js';
import { numberFlag, parseFlags } from '../args.js';
import { UsageError, UserError } from '../errors.js';

export const SIM_HELP = `usage: tapedeck sim [--host H] [--port N] [--td-port N] [--tls [--cert-out FILE]]
                   [--symbols N] [--rate UPDATES_PER_S] [--seed N] [--heartbeat-ms MS] [--bar-ms MS]
                   [--fault NAME[:SECONDS|:every=SECONDS]]...
                   [--delayed SYMBOLS] [--halted SYMBOLS] [--market open|closed]

Serves the OAuth authorize page, the token endpoint, userPreference / userprincipals, the REST
market data (quotes, price history, market hours, movers, option chains) of both dialects and
Schwab's streamer (/ws) on --port, and TD Ameritrade's streamer at /ws of its own listener
(--td-port), whose bare HOST:PORT userprincipals hands out. Prints "listening on http://HOST:PORT"
once ready, then "td streamer on ws://HOST:PORT/ws".
--tls serves https and wss with a self-signed certificate for 127.0.0.1 and localhost;
--cert-out writes that certificate (PEM) to FILE for clients to trust.
Faults: drop, silence, malformed, deny-login, expire-token, second-login.
--delayed AAPL,MSFT flags those symbols' level-one items (and REST quotes) delayed, as the real
servers do for an account without real-time entitlement.
--halted TSLA gives those symbols the security status Halted; their prices stand still.
--market open|closed forces the market-hours answers: closed on every day, or open all day
(the regular session is the whole New York day); without it they follow the clock.`;


export async function simCommand(argv: string[]): Promise<number> {
  const f = parseFlags(argv, {
    host: { type: 'string', default: '127.0.0.1' },
    port: { type: 'string', default: '0' },
    'td-port': { type: 'string', default: '0' },
    tls: { type: 'boolean', default: false },
    'cert-out': { type: 'string' },
    symbols: { type: 'string' },
    rate: { type: 'string' },
    seed: { type: 'string' },
    'heartbeat-ms': { type: 'string' },
    'bar-ms': { type: 'string' },
    fault: { type: 'string', multiple: true },
    delayed: { type: 'string' },
    halted: { type: 'string' },
    market: { type: 'string' },
  });
  if (f.help) {
    console.log(SIM_HELP);
    return 0;
  }
  const mainPort = numberFlag(f.port, '--port', { min: 0, max: 65535, integer: true }) ?? 0;
  const tdPort = numberFlag(f['td-port'], '--td-port', { min: 0, max: 65535, integer: true }) ?? 0;
  const certOut = f['cert-out'];
  if (certOut !== undefined && !f.tls) throw new UsageError('--cert-out needs --tls');
  if (certOut === '') throw new UsageError('--cert-out needs a file name');
  const faults = (f.fault ?? []).map((text) => {
    try {
      return parseFault(text);
    } catch (err) {
      throw new UsageError(`--fault: ${(err as Error).message}`);
    }
  });
  const symbols = (value: string | undefined, flag: string): string[] | undefined => {
    if (value === undefined) return undefined;
    try {
      return parseSymbolList(value);
    } catch (err) {
      throw new UsageError(`${flag}: ${(err as Error).message}`);
    }
  };
  const market = f.market;
  if (market !== undefined && !isMarketOverride(market)) {
    throw new UsageError(`--market must be ${MARKET_OVERRIDES.join(' or ')}, not '${market}'`);
  }
  // Every flag is checked before the simulator starts, so a bad value is never reported as a failure to listen.
  const options = {
    host: f.host,
    port: mainPort,
    tdStreamerPort: tdPort,
    tls: f.tls,
    symbols: numberFlag(f.symbols, '--symbols', { min: 1, integer: true }),
    rate: numberFlag(f.rate, '--rate', { min: 0 }),
    seed: numberFlag(f.seed, '--seed', { integer: true }),
    heartbeatMs: numberFlag(f['heartbeat-ms'], '--heartbeat-ms', { min: 10 }),
    barMs: numberFlag(f['bar-ms'], '--bar-ms', { min: 100 }),
    faults,
    delayed: symbols(f.delayed, '--delayed'),
    halted: symbols(f.halted, '--halted'),
    market,
  };
  let sim;
  try {
    sim = await startSimulator(options);
  } catch (err) {
    throw new UserError(`cannot listen on ${f.host}:${mainPort}: ${describeListenError(err)}`);
  }
  const handle = sim;
  if (certOut !== undefined && handle.certificate !== null) {
    try {
      writeFileSync(certOut, handle.certificate);
    } catch (err) {
      await handle.close();
      throw new UserError(`cannot write the certificate to ${certOut}: ${(err as Error).message}`);
    }
  }
  console.log(`listening on ${handle.url}`);
  console.log(`td streamer on ${handle.tdStreamerUrl}`);
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
