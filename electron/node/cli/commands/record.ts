/** `tapedeck record`: stream and record until the duration ends or SIGINT/SIGTERM, then flush and exit 0. */
import { defaultTokenFile, readTokenFile, TokenFileError, writeTokenFile } from '../../auth/token-file.js';
import type { TokenSet } from '../../auth/tokens.js';
import { Engine } from '../../engine/engine.js';
import { createProvider, isProviderName, type ProviderConfig } from '../../provider/create-provider.js';
import { ManagedRecorder } from '../../recorder/managed-recorder.js';
import { RecorderError, RecordingStoppedError } from '../../recorder/recorder.js';
import { DEFAULT_MIN_FREE_MB, type StoragePolicy } from '../../recorder/storage-policy.js';
import { parseFault } from '../../sim/index.js';
import { applyCaFileFlag, CA_FILE_HELP } from '../ca-file-flag.js';
import { baseUrlFlag, listFlag, numberFlag, parseFlags } from '../args.js';
import { UsageError, UserError } from '../errors.js';
import { requireWritableFile } from '../paths.js';
import { parseAlertFlags, watchAlerts } from '../record-alerts.js';
import { pgUrlFlag } from '../pg-url-flag.js';
import { startRecordSink, type RecordSink } from '../record-sink.js';
import { formatSummary, StatusLine } from '../status-line.js';
import { DEFAULT_SYMBOLS, planSubscriptions } from '../subscription-plan.js';

export const RECORD_HELP = `usage: tapedeck record [--db FILE] [--provider demo|schwab|tdameritrade] [--symbols LIST]
                      [--services LIST] [--duration SECONDS] [--api-base URL] [--auth-base URL]
                      [--token-file FILE] [--app-key K] [--app-secret S] [--account ID] [--qos 0-5]
                      [--heartbeat-timeout SECONDS] [--ca-file FILE] [--rate N] [--fault NAME]...
                      [--alert RULE]...
                      [--rotate daily] [--retain-days N] [--min-free-mb N] [--frames-only]
                      [--sink postgres://USER@HOST:PORT/DB]

Records every frame the streamer sends into the SQLite file FILE (default tapedeck-PROVIDER.db
in the current folder, so demo and real data never share a file) until --duration ends or
SIGINT/SIGTERM, then flushes and exits 0. One writer per database: a FILE another record or the
app is writing is refused. --provider demo (the default) runs the simulator
in-process (--rate, --fault apply to it). App key and secret may also come from the
TAPEDECK_APP_KEY and TAPEDECK_APP_SECRET environment variables. ${CA_FILE_HELP}

--rotate daily writes a file per trading day, FILE's name with the New York date added
(ticks.db → ticks-2026-03-14.db), switching at midnight New York time. --retain-days N removes
data older than N days: whole daily files, or a single file's old rows a few at a time.
--min-free-mb N (default ${DEFAULT_MIN_FREE_MB}; 0 turns it off) pauses recording while the disk holding FILE has
less free space, and resumes when it returns. --frames-only keeps the frame archive and the
_latest rows but no typed row per update (about a fifth of the size); 'tapedeck replay --db FILE
--out NEW_DB' rebuilds the typed tables from the frames when they are wanted.

On stderr, each event is one line starting with the local time (connects, disconnects, refused
subscriptions, bad frames), and at exit one summary line; on a terminal a live status line too.

--alert 'SYMBOL FIELD OP VALUE [once|rearm]' (repeatable) watches a level-one value: FIELD is
last, bid, ask, change% or volume; OP is >, < or crosses; once (the default) fires one time,
rearm again after the value went back past the threshold. Examples: 'AAPL last > 230',
'/ES bid < 5000 rearm', 'EUR/USD ask crosses 1.0850'. Each firing is a line on stderr and a row in
the alerts table; the alerted symbols are subscribed if --symbols does not name them.


--sink ships every committed row to PostgreSQL as well (binary COPY, from a thread of its own, so
recording never waits for it; retried while the server is away, exactly once). The password comes
from the URL or PGPASSWORD and is never printed. See README.md "PostgreSQL".`;

export async function recordCommand(argv: string[]): Promise<number> {
  const f = parseFlags(argv, {
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
    'ca-file': { type: 'string' },
    alert: { type: 'string', multiple: true },
    rotate: { type: 'string' },
    'retain-days': { type: 'string' },
    'min-free-mb': { type: 'string' },
    'frames-only': { type: 'boolean' },
    sink: { type: 'string' },
  });
  if (f.help) {
    console.log(RECORD_HELP);
    return 0;
  }
  // The command line first (exit 2), then what it points at (exit 1).
  const provider = f.provider ?? 'demo';
  if (!isProviderName(provider)) throw new UsageError(`--provider must be demo, schwab or tdameritrade, not '${provider}'`);
  const dbPath = f.db ?? defaultDbFile(provider);
  const duration = numberFlag(f.duration, '--duration', { min: 0 });
  const qos = numberFlag(f.qos, '--qos', { min: 0, max: 5, integer: true });
  const silence = numberFlag(f['heartbeat-timeout'], '--heartbeat-timeout', { min: 0.1 });
  const rate = numberFlag(f.rate, '--rate', { min: 1 });
  const policy = storagePolicy(f.rotate, f['retain-days'], f['min-free-mb'], f['frames-only'] === true);
  const dialect = provider === 'tdameritrade' ? 'tdameritrade' : 'schwab';
  const alerts = parseAlertFlags(f.alert ?? [], dialect);
  const symbols = [...new Set([...(f.symbols !== undefined ? listFlag(f.symbols) : DEFAULT_SYMBOLS), ...alerts.map((a) => a.symbol)])];
  const subscriptions = planSubscriptions(dialect, symbols, listFlag(f.services));
  if (subscriptions.length === 0) throw new UsageError('nothing to subscribe (give --symbols)');
  const apiBase = baseUrlFlag(f['api-base'], '--api-base');
  // --auth-base is accepted for symmetry with login; record itself never opens the authorize page.
  baseUrlFlag(f['auth-base'], '--auth-base');
  if (provider !== 'demo' && (f.fault !== undefined || rate !== undefined)) {
    throw new UsageError(`--fault and --rate drive the demo simulator; they do nothing with --provider ${provider}`);
  }
  const faults = (f.fault ?? []).map((text) => {
    try {
      return parseFault(text);
    } catch (err) {
      throw new UsageError(`--fault: ${(err as Error).message}`);
    }
  });

  const sinkTarget = f.sink !== undefined ? pgUrlFlag(f.sink, '--sink') : null;
  requireWritableFile(dbPath, 'database file');
  applyCaFileFlag(f['ca-file']);
  let config: ProviderConfig;
  if (provider === 'demo') {
    config = { provider, rate, faults };
  } else {
    // Without tokens an app key is no use: say what is missing first.
    const tokenFile = f['token-file'] ?? defaultTokenFile(provider);
    const tokens = readTokens(tokenFile, provider);
    const appKey = f['app-key'] ?? process.env.TAPEDECK_APP_KEY ?? '';
    const appSecret = f['app-secret'] ?? process.env.TAPEDECK_APP_SECRET ?? '';
    if (!appKey) throw new UsageError('an app key is needed to refresh tokens (--app-key or TAPEDECK_APP_KEY)');
    if (provider === 'schwab' && !appSecret) {
      throw new UsageError('schwab needs the app secret to refresh tokens (--app-secret or TAPEDECK_APP_SECRET)');
    }
    config = { provider, apiBase, tokens, persist: (t) => writeTokenFile(tokenFile, t), app: { appKey, appSecret }, accountId: f.account };
  }

  const status = new StatusLine(process.stderr);
  let recorderErrors = 0;
  let recorder: ManagedRecorder;
  // Set once the run is under way: a recording that stopped for good ends the run with its reason.
  const control: RunControl = { fail: null };
  try {
    recorder = await ManagedRecorder.open({
      path: dbPath,
      policy,
      onError: (err) => {
        recorderErrors++;
        if (err instanceof RecordingStoppedError && control.fail) control.fail(err.message);
        else status.log(`! recorder: ${err.message}`);
      },
      onNotice: (line) => status.log(line),
    });
  } catch (err) {
    if (err instanceof RecorderError) throw new UserError(err.message);
    throw err;
  }
  let sink: RecordSink | null = null;
  if (sinkTarget) {
    try {
      sink = await startRecordSink(recorder.path, sinkTarget, (line) => status.log(line));
    } catch (err) {
      await recorder.close().catch(() => undefined);
      throw err;
    }
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
    await sink?.finish();
    throw new UserError((err as Error).message);
  }
  // Said once the first connection is up, so a run that cannot start prints only its error line.
  const opening: string[] = [];
  const recovered = recorder.recoveredSessions;
  if (recovered > 0) opening.push(`closed ${recovered} session${recovered === 1 ? '' : 's'} left open by a run that ended unexpectedly`);
  const label = provider === 'demo' ? 'demo (simulated)' : provider;
  watchAlerts(engine, alerts, dialect, (line) => status.log(line));
  opening.push(
    `recording ${subscriptions.map((s) => `${s.service} ${s.keys.join(',')}`).join('; ')} from ${label} into ${recorder.path}${f['frames-only'] ? ' (frames and latest values only)' : ''}`,
  );
  const running = run(engine, status, control, { duration, opening, recorderErrors: () => recorderErrors });
  // The sink drains after the recorder's last commit, whether the run ended well or not.
  return sink ? running.finally(() => sink.finish()) : running;
}

/** Each provider records into a file of its own by default: simulated ticks never mix with real ones. */
export function defaultDbFile(provider: string): string {
  return `tapedeck-${provider}.db`;
}

function storagePolicy(rotate: string | undefined, retainDays: string | undefined, minFreeMb: string | undefined, framesOnly: boolean): StoragePolicy {
  if (rotate !== undefined && rotate !== 'daily') throw new UsageError(`--rotate takes 'daily', not '${rotate}'`);
  return {
    rotate: rotate === 'daily' ? 'daily' : 'none',
    retainDays: numberFlag(retainDays, '--retain-days', { min: 1, integer: true }) ?? null,
    minFreeMb: numberFlag(minFreeMb, '--min-free-mb', { min: 0 }) ?? DEFAULT_MIN_FREE_MB,
    typedRows: !framesOnly,
  };
}

function readTokens(tokenFile: string, provider: 'schwab' | 'tdameritrade'): TokenSet {
  let tokens: TokenSet | null;
  try {
    tokens = readTokenFile(tokenFile);
  } catch (err) {
    if (err instanceof TokenFileError) throw new UserError(err.message);
    throw err;
  }
  if (!tokens) throw new UserError(`no token file at ${tokenFile}: run 'tapedeck login --provider ${provider}' first`);
  if (tokens.provider !== provider) throw new UserError(`${tokenFile} holds ${tokens.provider} tokens, not ${provider} ones`);
  return tokens;
}

interface RunControl {
  /** Ends the run with this reason as its error line (exit 1). */
  fail: ((message: string) => void) | null;
}

/** Streams until the duration, a signal or a fatal error; then one summary line (unless it never started). */
function run(
  engine: Engine,
  status: StatusLine,
  control: RunControl,
  { duration, opening, recorderErrors }: { duration: number | undefined; opening: string[]; recorderErrors: () => number },
): Promise<number> {
  status.attach(() => engine.status());
  const startedAt = Date.now();
  let connected = false;
  let refused = 0;
  return new Promise((resolve, reject) => {
    let fatal: string | null = null;
    let stopping: Promise<void> | null = null;
    const stop = () => {
      stopping ??= engine
        .stop()
        .catch((err: Error) => {
          fatal ??= `error while stopping: ${err.message}`;
        })
        .then(() => {
          status.stop();
          process.off('SIGINT', stop);
          process.off('SIGTERM', stop);
          // A run that could not start has only its error to say; any other ends with the summary.
          if (connected || fatal === null) {
            const s = engine.status();
            const problems = { ...engine.problemsByKind() };
            if (refused > 0) problems['refused subscription'] = refused;
            if (recorderErrors() > 0) problems.recorder = recorderErrors();
            status.log(formatSummary({ durationMs: Date.now() - startedAt, updates: s.updates, rows: s.rows, frames: s.frames, reconnects: s.reconnects, problems, dbBytes: s.dbBytes }));
          }
          if (fatal !== null) reject(new UserError(fatal));
          else resolve(0);
        });
    };
    control.fail = (message) => {
      fatal ??= message;
      stop();
    };
    engine.on((e) => {
      switch (e.type) {
        case 'fatal':
          // Said once, as the error line at exit (after the summary, when something streamed).
          fatal = e.message;
          stop();
          break;
        case 'connection':
          if (e.event === 'connected' && !connected) {
            connected = true;
            for (const line of opening) status.log(line);
          }
          status.log(e.event === 'connected' ? e.detail : `disconnected: ${e.detail}`);
          break;
        case 'subscription-error':
          refused++;
          status.log(`! refused ${e.service} ${e.command} ${e.keys.join(',')}: code ${e.code} ${e.message}`);
          break;
        case 'notice':
          status.log(`! notice ${e.service} code ${e.code}: ${e.message}`);
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
