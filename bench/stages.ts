/** The benchmark stages; each measures Tapedeck and its comparison in the same run. */
import Database from 'better-sqlite3';
import { spawn } from 'node:child_process';
import { join } from 'node:path';
import { decodeFrame } from '../electron/node/codec/decode-frame.js';
import { Engine } from '../electron/node/engine/engine.js';
import type { StreamerProvider } from '../electron/node/provider/types.js';
import { Recorder } from '../electron/node/recorder/recorder.js';
import { LEADING, SERVICE_TABLES } from '../electron/node/recorder/schema.js';
import { QuoteState } from '../electron/node/state/quote-state.js';
import type { MarketUpdate } from '../shared/market.js';
import type { Corpus } from './corpus.js';
import { row, type ResultRow } from './results.js';
import { mb, percentile, sortedCopy } from './stats.js';
import { tutorialWay } from './tutorial-baseline.js';

const seconds = (start: bigint) => Number(process.hrtime.bigint() - start) / 1e9;

/** Runs `fn` over the corpus until at least `minSeconds` have passed; returns passes and time. */
function repeat(minSeconds: number, fn: () => void): { passes: number; secs: number } {
  const start = process.hrtime.bigint();
  let passes = 0;
  do {
    fn();
    passes++;
  } while (seconds(start) < minSeconds);
  return { passes, secs: seconds(start) };
}

export function decodeStage(corpus: Corpus, minSeconds: number): ResultRow[] {
  const frames = corpus.frames;
  const ours = repeat(minSeconds, () => {
    const state = new QuoteState(corpus.dialect);
    for (const f of frames) for (const u of decodeFrame(f, corpus.dialect).updates) state.apply(u, 0);
  });
  const parse = repeat(minSeconds, () => {
    for (const f of frames) JSON.parse(f);
  });
  const ups = (r: { passes: number; secs: number }) => (corpus.updates * r.passes) / r.secs;
  const mbs = (r: { passes: number; secs: number }) => mb(corpus.bytes * r.passes) / r.secs;
  return [
    row('decode', `decode+merge updates/s (${corpus.dialect})`, ups(ours), 'updates/s', 'json-parse', ups(parse)),
    row('decode', `decode+merge throughput (${corpus.dialect})`, mbs(ours), 'MB/s', 'json-parse', mbs(parse)),
  ];
}

export function decodeAll(corpus: Corpus): MarketUpdate[][] {
  return corpus.frames.map((f) => decodeFrame(f, corpus.dialect).updates);
}

export async function recorderStage(dir: string, corpus: Corpus, decoded: MarketUpdate[][]): Promise<{ rows: ResultRow[]; framesPerSec: number }> {
  const path = join(dir, 'recorder.db');
  let committed = 0;
  let allCommitted: () => void = () => undefined;
  const done = new Promise<void>((r) => (allCommitted = r));
  let lastCommit = 0n;
  const rec = await Recorder.openThreaded(path, {
    onCommit: ({ frames }) => {
      committed += frames;
      lastCommit = process.hrtime.bigint();
      if (committed >= corpus.frames.length) allCommitted();
    },
  });
  const connectionId = 1;
  rec.beginConnection({ connectionId, provider: 'bench', dialect: corpus.dialect, url: 'bench' });
  const state = new QuoteState(corpus.dialect);
  const start = process.hrtime.bigint();
  // Fed the way the engine feeds it: a frame at a time, each merged into the state first (the
  // recorder's latest rows come from it, so the merge is timed here as part of recording),
  // yielding now and then like a socket does.
  for (let i = 0; i < corpus.frames.length; i++) {
    const updates = decoded[i]!;
    const receivedAt = Date.now();
    rec.record({ connectionId, receivedAt, text: corpus.frames[i]!, updates, merged: updates.map((u) => state.apply(u, receivedAt)) });
    if (i % 500 === 499) await new Promise((r) => setImmediate(r));
  }
  const closing = rec.close();
  await done;
  // Timed to the commit of the last frame, like the limit below; closing (checkpoint, optimize) is not.
  const ourSecs = Number(lastCommit - start) / 1e9;
  await closing;

  // This machine's SQLite limit for the same rows: one prepared INSERT, one transaction, nothing else.
  const table = SERVICE_TABLES.get(corpus.service.toLowerCase())!;
  const columns = [...LEADING, ...table.fields].map((c) => c.name);
  const index = new Map(columns.map((c, i) => [c, i]));
  const params = decoded.flatMap((updates) =>
    updates.map((u) => {
      const p: unknown[] = new Array(columns.length).fill(null);
      p[1] = 0;
      p[2] = u.ts;
      p[3] = u.key;
      for (const k in u.fields) {
        const i = index.get(k);
        if (i !== undefined) p[i] = u.fields[k];
      }
      return p;
    }),
  );
  const raw = new Database(join(dir, 'limit.db'));
  raw.pragma('journal_mode = WAL');
  raw.pragma('synchronous = NORMAL');
  raw.exec(`CREATE TABLE t (id INTEGER PRIMARY KEY, ${columns.map((c) => `"${c}"`).join(', ')})`);
  const insert = raw.prepare(`INSERT INTO t (${columns.map((c) => `"${c}"`).join(', ')}) VALUES (${columns.map(() => '?').join(', ')})`);
  const limitStart = process.hrtime.bigint();
  raw.transaction(() => {
    for (const p of params) insert.run(p);
  })();
  const limitSecs = seconds(limitStart);
  raw.close();
  return {
    rows: [row('recorder', 'rows/s (frames archived, delta rows, latest rows)', corpus.updates / ourSecs, 'rows/s', 'sqlite-limit', corpus.updates / limitSecs)],
    framesPerSec: corpus.frames.length / ourSecs,
  };
}

export function tutorialStage(dir: string, corpus: Corpus, frames: number, oursFramesPerSec: number): ResultRow[] {
  const sample = corpus.frames.slice(0, frames);
  const t = tutorialWay(dir, sample);
  const perSec = t.messages / t.seconds;
  // Two ceilings no recorder of these messages can beat: parsing them and storing nothing, and
  // storing them verbatim (32 per INSERT, one transaction) without parsing.
  const parse = repeat(1, () => {
    for (const f of corpus.frames) JSON.parse(f);
  });
  const parsePerSec = (corpus.frames.length * parse.passes) / parse.secs;
  const storePerSec = storeRawOnly(join(dir, 'raw-only.db'), corpus.frames);
  const over = (v: number) => v / perSec;
  return [
    row('tutorial-baseline', 'messages/s, one connection + commit per message', perSec, 'messages/s', 'tapedeck-recorder', oursFramesPerSec),
    row('tutorial-baseline', "Tapedeck's recorder, messages/s over the tutorial's", over(oursFramesPerSec), '×', 'target', 1000),
    row('tutorial-baseline', "ceiling: JSON.parse alone (nothing stored), messages/s over the tutorial's", over(parsePerSec), '×', 'target', 1000),
    row('tutorial-baseline', "ceiling: SQLite storing the raw messages only (not parsed), over the tutorial's", over(storePerSec), '×', 'target', 1000),
  ];
}

/** Messages/s SQLite takes when it only stores each message's text: WAL, 32 rows per INSERT, one transaction. */
function storeRawOnly(path: string, frames: readonly string[]): number {
  const db = new Database(path);
  db.pragma('journal_mode = WAL');
  db.pragma('synchronous = NORMAL');
  db.exec('CREATE TABLE frames (id INTEGER PRIMARY KEY, text TEXT)');
  const K = 32;
  const many = db.prepare(`INSERT INTO frames (text) VALUES ${new Array<string>(K).fill('(?)').join(', ')}`);
  const one = db.prepare('INSERT INTO frames (text) VALUES (?)');
  // Parameters are grouped before the clock starts: only SQLite is timed.
  const groups: string[][] = [];
  for (let i = 0; i + K <= frames.length; i += K) groups.push(frames.slice(i, i + K));
  const rest = frames.slice(groups.length * K);
  const start = process.hrtime.bigint();
  db.transaction(() => {
    for (const g of groups) many.run(g);
    for (const f of rest) one.run(f);
  })();
  const secs = seconds(start);
  db.close();
  return frames.length / secs;
}

/** A provider for the bench sender: its login needs no tokens. */
function benchProvider(port: number): StreamerProvider {
  return {
    name: 'schwab',
    dialect: 'schwab',
    simulated: true,
    streamerLogin: async () => ({
      url: `ws://127.0.0.1:${port}`,
      requestIds: { SchwabClientCustomerId: 'bench', SchwabClientCorrelId: 'bench' },
      loginParameters: { Authorization: 'bench', SchwabClientChannel: 'N9', SchwabClientFunctionId: 'APIAPP' },
    }),
    recoverFromDeniedLogin: async () => false,
    close: async () => undefined,
  };
}

export interface E2eRun {
  /** The sender's own CPU while sending, in % of one core: on 2 cores it competes with the receiver. */
  senderCpuPct: number;
  updatesPerSec: number;
  p50: number;
  p99: number;
  max: number;
  cpuPct: number;
  peakRssMb: number;
}

/**
 * Latency percentiles leave out frames sent in the first second, while both processes warm up
 * (JIT, first statements); in a run shorter than five seconds, its first fifth.
 */
const WARM_UP_MS = 1000;

export async function endToEndStage(dir: string, updates: number, seed: number, pacedSeconds: number): Promise<ResultRow[]> {
  const max = await inReceiverProcess(join(dir, 'e2e-max.db'), updates, seed, 0);
  // Latency at saturation is queueing in socket buffers; measured again with the sender paced at
  // the target rate (or below the ceiling, if the ceiling is lower).
  const pacedRate = max.updatesPerSec >= 200_000 ? 200_000 : Math.round((max.updatesPerSec * 0.75) / 1000) * 1000;
  const paced = await inReceiverProcess(join(dir, 'e2e-paced.db'), pacedRate * pacedSeconds, seed, pacedRate);
  const at = `paced at ${pacedRate.toLocaleString('en-US')} updates/s`;
  return [
    row('end-to-end', 'sustained updates/s (loopback WebSocket → committed rows)', max.updatesPerSec, 'updates/s', 'target', 200_000),
    row('end-to-end', 'latency p50 at full speed, frame sent → row committed', max.p50, 'ms', null, null),
    row('end-to-end', 'latency p99 at full speed, frame sent → row committed', max.p99, 'ms', null, null),
    row('end-to-end', `sustained updates/s ${at}`, paced.updatesPerSec, 'updates/s', 'target', 200_000),
    row('end-to-end', `latency p50 ${at}`, paced.p50, 'ms', null, null),
    row('end-to-end', `latency p99 ${at}`, paced.p99, 'ms', 'target', 100),
    row('end-to-end', `latency max ${at}`, paced.max, 'ms', null, null),
    row('end-to-end', 'receiver CPU at full speed (one core = 100 %)', max.cpuPct, '%', null, null),
    row('end-to-end', 'sender CPU at full speed, same 2 cores (one core = 100 %)', max.senderCpuPct, '%', null, null),
    row('end-to-end', 'receiver peak RSS at full speed', max.peakRssMb, 'MB', null, null),
  ];
}

/** The receiver runs in a process of its own, so its CPU and peak RSS are its own. */
function inReceiverProcess(dbPath: string, updates: number, seed: number, rate: number): Promise<E2eRun> {
  return inOwnProcess<E2eRun>('bench/e2e-receiver.ts', [dbPath, String(updates), String(seed), String(rate)]);
}

/** Runs a bench script under tsx in a child process; its result is the JSON on its last stdout line. */
export function inOwnProcess<T>(script: string, args: string[]): Promise<T> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', '--import', './tests/helpers/tsx-workers.ts', script, ...args], { stdio: ['ignore', 'pipe', 'inherit'] });
    let out = '';
    child.stdout!.on('data', (d: Buffer) => (out += d.toString()));
    child.on('exit', (code) => {
      const line = out.trim().split('\n').pop() ?? '';
      if (code === 0 && /^[[{]/.test(line)) resolve(JSON.parse(line) as T);
      else reject(new Error(`${script} failed (exit ${code})`));
    });
  });
}

export async function endToEndRun(dbPath: string, updates: number, seed: number, rate: number): Promise<E2eRun> {
  const sender = spawn(process.execPath, ['--import', 'tsx', 'bench/sender.ts', String(updates), String(seed), String(rate)], { stdio: ['ignore', 'pipe', 'inherit', 'ipc'] });
  const ready = await new Promise<{ port: number; updates: number; frames: number }>((resolve, reject) => {
    let out = '';
    sender.stdout!.on('data', (d: Buffer) => {
      out += d.toString();
      const m = /ready (\d+) (\d+) (\d+)/.exec(out);
      if (m) resolve({ port: Number(m[1]), updates: Number(m[2]), frames: Number(m[3]) });
    });
    sender.on('exit', (code) => reject(new Error(`sender exited (${code})`)));
  });
  // Every recorded frame in order: its send time, or NaN for control frames (login, acks).
  const sentAt: number[] = [];
  const sentTimes: number[] = [];
  const latencies: number[] = [];
  let committed = 0;
  let dataCommitted = 0;
  let done: () => void = () => undefined;
  const finished = new Promise<void>((r) => (done = r));
  const recorder = await Recorder.openThreaded(dbPath, {
    onCommit: ({ frames, committedAt }) => {
      for (let i = 0; i < frames; i++, committed++) {
        const sent = sentAt[committed]!;
        if (Number.isNaN(sent)) continue;
        sentTimes.push(sent);
        latencies.push(committedAt - sent);
        dataCommitted++;
      }
      if (dataCommitted >= ready.frames) done();
    },
  });
  const sink = {
    beginConnection: recorder.beginConnection.bind(recorder),
    endConnection: recorder.endConnection.bind(recorder),
    stats: recorder.stats.bind(recorder),
    close: recorder.close.bind(recorder),
    archive(frame: Parameters<typeof recorder.archive>[0]) {
      sentAt.push(NaN);
      recorder.archive(frame);
    },
    decoded(result: Parameters<typeof recorder.decoded>[0]) {
      if (result.updates.length > 0) sentAt[sentAt.length - 1] = result.updates[0]!.ts;
      recorder.decoded(result);
    },
  };
  const engine = new Engine({ provider: benchProvider(ready.port), recorder: sink, subscriptions: [{ service: 'LEVELONE_EQUITIES', keys: ['BENCH'] }], publishQuotes: false });
  let senderCpuMs = 0;
  sender.on('message', (m: { cpuMs?: number }) => {
    if (typeof m.cpuMs === 'number') senderCpuMs = m.cpuMs;
  });
  const cpu0 = process.cpuUsage();
  const t0 = process.hrtime.bigint();
  engine.start();
  await finished;
  const secs = seconds(t0);
  const cpu = process.cpuUsage(cpu0);
  await engine.stop();
  sender.kill('SIGTERM');
  const first = sentTimes[0] ?? 0;
  const warmUntil = first + Math.min(WARM_UP_MS, ((sentTimes[sentTimes.length - 1] ?? first) - first) / 5);
  const sorted = sortedCopy(latencies.filter((_, i) => sentTimes[i]! >= warmUntil));
  return {
    senderCpuPct: (senderCpuMs / 1000 / secs) * 100,
    updatesPerSec: ready.updates / secs,
    p50: percentile(sorted, 50),
    p99: percentile(sorted, 99),
    max: sorted[sorted.length - 1] ?? NaN,
    cpuPct: ((cpu.user + cpu.system) / 1e6 / secs) * 100,
    peakRssMb: process.resourceUsage().maxRSS / 1024,
  };
}
