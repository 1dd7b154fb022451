/** `tapedeck record`: stream and record until the duration ends or SIGINT/SIGTERM, then flush and exit 0. */
import { parseBaseUrl } from '../../auth/endpoints.js';
import { defaultTokenFile, readTokenFile, writeTokenFile } from '../../auth/token-file.js';
import type { TokenSet } from '../../auth/tokens.js';
import { Engine } from '../../engine/engine.js';
import { createProvider, isProviderName, type ProviderConfig } from '../../provider/create-provider.js';
import { Recorder } from '../../recorder/recorder.js';
import { parseFault } from '../../sim/index.js';
import { listFlag, numberFlag, parseFlags, requireFlag } from '../args.js';
import { UserError } from '../errors.js';
import { StatusLine } from '../status-line.js';
import { DEFAULT_SYMBOLS, planSubscriptions } from '../subscription-plan.js';

export const RECORD_HELP = `usage: tapedeck record --db FILE [--provider demo|schwab|tdameritrade] [--symbols LIST]
                      [--services LIST] [--duration SECONDS] [--api-base URL] [--auth-base URL]
                      [--token-file FILE] [--app-key K] [--app-secret S] [--account ID] [--qos 0-5]
                      [--heartbeat-timeout SECONDS] [--rate N] [--fault NAME]...

Records every frame the streamer sends into the SQLite file FILE until --duration ends or
SIGINT/SIGTERM, then flushes and exits 0. --provider demo (the default) runs the simulator
in-process (--rate, --fault apply to it). App key and secret may also come from the
TAPEDECK_APP_KEY and TAPEDECK_APP_SECRET environment variables.`;

export async function recordCommand(argv: string[]): Promise<number> {
  const f = parseFlags('record', argv, {
    provider: { type: 'string', default: 'demo' },
    symbols: { type: 'string' },
    services: { type: 'string' },
    db: { type: 'string' },
    duration: { type: 'string' },
    'api-base': { type: 'string' },
    'auth-base': { type: 'string' },
    'token-file': { type: 'string' },
    'app-key': { type: 'string' },
    'app-secret': { type: 'string' },
    account: { type: 'string' },
    qos: { type: 'string' },
    'heartbeat-timeout': { type: 'string' },
    rate: { type: 'string' },
    fault: { type: 'string', multiple: true },
  });
  if (f.help) {
    console.log(RECORD_HELP);
    return 0;
  }
  const provider = f.provider ?? 'demo';
  if (!isProviderName(provider)) throw new UserError(`record: --provider must be demo, schwab or tdameritrade, not '${provider}'`);
  const dbPath = requireFlag('record', f.db, '--db');
  const duration = numberFlag('record', f.duration, '--duration', { min: 0 });
  const qos = numberFlag('record', f.qos, '--qos', { min: 0, integer: true });
  if (qos !== undefined && qos > 5) throw new UserError('record: --qos must be 0 to 5');
  const silence = numberFlag('record', f['heartbeat-timeout'], '--heartbeat-timeout', { min: 0.1 });
  const dialect = provider === 'tdameritrade' ? 'tdameritrade' : 'schwab';
  const symbols = f.symbols !== undefined ? listFlag(f.symbols) : DEFAULT_SYMBOLS;
  const subscriptions = planSubscriptions(dialect, symbols, listFlag(f.services));
  if (subscriptions.length === 0) throw new UserError('record: nothing to subscribe (give --symbols)');

  let config: ProviderConfig;
  if (provider === 'demo') {
    const faults = (f.fault ?? []).map((text) => {
      try {
        return parseFault(text);
      } catch (err) {
        throw new UserError(`record: --fault ${(err as Error).message}`);
      }
    });
    config = { provider, rate: numberFlag('record', f.rate, '--rate', { min: 1 }), faults };
  } else {
    const appKey = f['app-key'] ?? process.env.TAPEDECK_APP_KEY ?? '';
    const appSecret = f['app-secret'] ?? process.env.TAPEDECK_APP_SECRET ?? '';
    if (!appKey) throw new UserError('record: an app key is needed to refresh tokens (--app-key or TAPEDECK_APP_KEY)');
    if (provider === 'schwab' && !appSecret) {
      throw new UserError('record: schwab needs the app secret to refresh tokens (--app-secret or TAPEDECK_APP_SECRET)');
    }
    const tokenFile = f['token-file'] ?? defaultTokenFile(provider);
    const tokens = readTokens(tokenFile, provider);
    config = {
      provider,
      apiBase: f['api-base'] ? parseBaseUrl(f['api-base'], '--api-base') : undefined,
      tokens,
      persist: (t) => writeTokenFile(tokenFile, t),
      app: { appKey, appSecret },
      accountId: f.account,
    };
  }
  // --auth-base is accepted for symmetry with login; record itself never opens the authorize page.
  if (f['auth-base']) parseBaseUrl(f['auth-base'], '--auth-base');

  let recorder: Recorder<Promise<void>>;
  try {
    recorder = await Recorder.openThreaded(dbPath, { onError: (err) => process.stderr.write(`record: ${err.message}\n`) });
  } catch (err) {
    throw new UserError(`record: ${(err as Error).message}`, 1);
  }
  const recovered = recorder.recoveredSessions;
  if (recovered > 0) {
    process.stderr.write(`closed ${recovered} session${recovered === 1 ? '' : 's'} left open by a run that ended unexpectedly\n`);
  }
  let engine: Engine;
  try {
    const streamer = await createProvider(config);
    engine = new Engine({
      provider: streamer,
      recorder,
      subscriptions,
      publishQuotes: false,
      client: {
        failFastOnFirstConnect: true,
        qosLevel: dialect === 'tdameritrade' ? (qos ?? 0) : undefined,
        silenceTimeoutMs: silence !== undefined ? silence * 1000 : undefined,
      },
    });
  } catch (err) {
    await recorder.close().catch(() => undefined);
    throw new UserError(`record: ${(err as Error).message}`, 1);
  }
  return run(engine, duration);
}

function readTokens(tokenFile: string, provider: 'schwab' | 'tdameritrade'): TokenSet {
  let tokens: TokenSet | null;
  try {
    tokens = readTokenFile(tokenFile);
  } catch (err) {
    throw new UserError(`record: ${(err as Error).message}`, 1);
  }
  if (!tokens) throw new UserError(`record: no token file at ${tokenFile}: run 'tapedeck login --provider ${provider}' first`, 1);
  if (tokens.provider !== provider) throw new UserError(`record: ${tokenFile} holds ${tokens.provider} tokens, not ${provider} ones`, 1);
  return tokens;
}

function run(engine: Engine, duration: number | undefined): Promise<number> {
  const status = new StatusLine(process.stderr, () => engine.status());
  return new Promise((resolve) => {
    let exitCode = 0;
    let stopping: Promise<void> | null = null;
    const stop = () => {
      stopping ??= engine
        .stop()
        .catch((err: Error) => {
          status.log(`tapedeck: error while stopping: ${err.message}`);
          exitCode = 1;
        })
        .then(() => {
          status.stop();
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          resolve(exitCode);
        });
    };
    engine.on((e) => {
      switch (e.type) {
        case 'fatal':
          status.log(`tapedeck: ${e.message}`);
          exitCode = 1;
          stop();
          break;
        case 'connection':
          status.log(`${e.event === 'connected' ? '+' : '-'} ${e.detail}`);
          break;
        case 'subscription-error':
          status.log(`! ${e.service} ${e.command} ${e.keys.join(',')}: code ${e.code} ${e.message}`);
          break;
        case 'notice':
          status.log(`! ${e.service} notice code ${e.code}: ${e.message}`);
          break;
        case 'problem':
          status.log(`! ${e.kind}${e.service ? ` (${e.service})` : ''}: ${e.detail}${e.count > 1 ? ` [${e.count} so far]` : ''}`);
          break;
        default:
          break;
      }
    });
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (duration !== undefined) setTimeout(stop, duration * 1000);
    status.start();
    engine.start();
  });
}
