/**
 * A seeded fuzz of the whole ingest path: a hostile server (tests/helpers/hostile-server.ts) logs a
 * real engine in and sends frames drawn from every hostile family — deep nesting, huge strings,
 * wrong types, lone surrogates, control characters, distinct unknown service names, binary frames,
 * text that is not UTF-8, malformed JSON — through a real socket into the real recorder (writer
 * thread, as `tapedeck record` uses it). Then: the process and the session are alive, every frame
 * is archived, memory did not grow with what was sent, and the problem reports stayed few and safe.
 *
 * TAPEDECK_FUZZ_FRAMES (default 100,000) and TAPEDECK_FUZZ_SEED (default 1) change the run.
 */
import assert from 'node:assert/strict';
import { isUtf8 } from 'node:buffer';
import { join } from 'node:path';
import { test } from 'node:test';
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { MAX_DECODED_CHARS } from '../../electron/node/codec/decode-frame.js';
import { Engine } from '../../electron/node/engine/engine.js';
import { Recorder } from '../../electron/node/recorder/recorder.js';
import { FRAME_FLAGS } from '../../electron/node/recorder/schema.js';
import type { EngineEvent } from '../../shared/engine-events.js';
import { archivedFrames, count, query } from '../helpers/db.js';
import { hostileProvider, startHostileServer, type HostileSocket } from '../helpers/hostile-server.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';
import { mulberry32 } from '../../electron/node/sim/prng.js';

const FRAMES = Number(process.env.TAPEDECK_FUZZ_FRAMES ?? 100_000);
const SEED = Number(process.env.TAPEDECK_FUZZ_SEED ?? 1);
/** Lines a flood of any size may print (the problem reports a CLI or window shows). */
const MAX_REPORT_LINES = 50;
/** Heap growth allowed over the run, after garbage collection: generous, and far below what keeping per-name state costs. */
const MAX_HEAP_GROWTH = 24 * 1024 * 1024;

setFlagsFromString('--expose-gc');
const gc = runInNewContext('gc') as () => void;

type Family =
  | 'valid'
  | 'deep'
  | 'wrong-types'
  | 'lone-surrogate'
  | 'control-chars'
  | 'unknown-service'
  | 'binary'
  | 'not-utf8'
  | 'malformed'
  | 'odd-response';

const WEIGHTS: [Family, number][] = [
  ['valid', 300],
  ['deep', 20],
  ['wrong-types', 150],
  ['lone-surrogate', 50],
  ['control-chars', 80],
  ['unknown-service', 150],
  ['binary', 50],
  ['not-utf8', 50],
  ['malformed', 100],
  ['odd-response', 50],
];

const SYMBOLS = ['AAPL', 'MSFT', 'SPY', 'QQQ', 'IWM', 'TSLA', 'NVDA', 'AMD', 'META', 'GOOG'];
const ESC = ['\x1b]0;pwned\x07', '\x1b[2J\x1b[H', '\x1bc', '\x1b[31m', '\r\nforged line', '\u009b1;1H', '\u202egnp.exe'];
const EVIL = { toString: 1, valueOf: 1 };

interface Sent {
  binary: number;
  notUtf8: number;
  loneSurrogate: number;
  huge: number;
  tooLarge: number;
}

class Fuzz {
  private readonly rnd: () => number;
  private unknownNames = 0;
  readonly sent: Sent = { binary: 0, notUtf8: 0, loneSurrogate: 0, huge: 0, tooLarge: 0 };

  constructor(seed: number) {
    this.rnd = mulberry32(seed);
  }

  private int(lo: number, hi: number): number {
    return lo + Math.floor(this.rnd() * (hi - lo + 1));
  }

  private pick<T>(xs: readonly T[]): T {
    return xs[Math.floor(this.rnd() * xs.length)]!;
  }

  private data(service: string, items: unknown[]): string {
    return JSON.stringify({ data: [{ service, timestamp: Date.now(), command: 'SUBS', content: items }] });
  }

  private family(): Family {
    let r = this.rnd() * 1000;
    for (const [f, w] of WEIGHTS) if ((r -= w) < 0) return f;
    return 'valid';
  }

  /** The i-th frame of the run. A few sizes are placed, not drawn, so every run has them. */
  frame(i: number, total: number): { data: string | Buffer; binary?: boolean } {
    if (total >= 1000 && (i === Math.floor(total / 3) || i === Math.floor((2 * total) / 3))) {
      this.sent.tooLarge++;
      return { data: this.data('LEVELONE_EQUITIES', [{ key: 'AAPL', 1: 1, 25: 'x'.repeat(MAX_DECODED_CHARS) }]) };
    }
    if (i % 5000 === 2500) {
      this.sent.huge++;
      return { data: this.data('LEVELONE_EQUITIES', [{ key: this.pick(SYMBOLS), 15: 'h'.repeat(this.int(100_000, 600_000)) }]) };
    }
    switch (this.family()) {
      case 'valid':
        return { data: this.data('LEVELONE_EQUITIES', [{ key: this.pick(SYMBOLS), 1: this.int(1, 500) / 4, 2: this.int(1, 500) / 4, 3: this.int(1, 500) / 4 }]) };
      case 'deep': {
        const depth = this.int(1000, 8000);
        return { data: `{"data":[{"service":"LEVELONE_EQUITIES","timestamp":1,"content":[{"key":"${this.pick(SYMBOLS)}","${this.pick([1, 2, 15, 25])}":${'['.repeat(depth)}${']'.repeat(depth)}}]}]}` };
      }
      case 'wrong-types':
        return { data: this.pick([
          () => JSON.stringify({ response: [{ service: 'ADMIN', command: 'LOGIN', requestid: EVIL, content: { code: EVIL, msg: EVIL } }] }),
          () => this.data('NASDAQ_BOOK', [{ key: 'AAPL', 1: EVIL, 2: [{ 0: 1, 1: 2, 2: 1, 3: [{ 0: EVIL, 1: EVIL, 2: EVIL }] }], 3: EVIL }]),
          () => this.data('SCREENER_EQUITY', [{ key: '$SPX', 4: [{ symbol: EVIL, description: EVIL, lastPrice: EVIL }, 7, null] }]),
          () => this.data('LEVELONE_EQUITIES', [{ key: 7 }, { key: EVIL }, 'AAPL', null, { key: 'MSFT', 1: EVIL, 2: [1, [2]], assetMainType: EVIL, delayed: 'yes', seq: 'x' }]),
          () => JSON.stringify({ data: 'not a list', notify: [EVIL, { heartbeat: EVIL }, { service: EVIL, content: EVIL }], response: [null, 1, 'x'] }),
          () => JSON.stringify({ data: [{ service: EVIL, content: EVIL }, { service: 'LEVELONE_EQUITIES', content: 'AAPL' }, { service: 'CHART_EQUITY', content: [{ key: 'A', 1: EVIL }] }] }),
          () => JSON.stringify({ snapshot: [{ service: 'ACTIVES_NASDAQ', content: [{ key: 'NASDAQ-60', 1: EVIL }, { key: 'NASDAQ-60', 1: '1;2;3' }] }] }),
          () => '{"__proto__":{"data":1},"constructor":{"prototype":1}}',
          () => this.pick(['[1,2,3]', '"just a string"', 'null', '12', 'true', '{}']),
        ])() };
      case 'lone-surrogate':
        this.sent.loneSurrogate++;
        return { data: String.raw`{"data":[{"service":"LEVELONE_EQUITIES","timestamp":1,"content":[{"key":"${this.pick([String.raw`\ud800lone`, String.raw`\udfff`, String.raw`A\ud83d`, String.raw`\udc00\ud800`])}","1":1,"15":"d\ud801"}]}]}` };
      case 'control-chars':
        return { data: this.pick([
          () => this.data(`EVIL${this.pick(ESC)}${this.int(0, 4)}`, [{ key: 'A' }]),
          () => JSON.stringify({ notify: [{ service: `ADMIN${this.pick(ESC)}`, timestamp: 1, content: { code: 17, msg: `msg ${this.pick(ESC)}`.repeat(this.int(1, 2000)) } }] }),
          () => `{"data":${this.pick(ESC)}${'x'.repeat(this.int(0, 50_000))}`,
          () => this.data('LEVELONE_EQUITIES', [{ key: `K${this.pick(ESC)}`, 1: 1, [`9${this.pick(ESC)}`]: 1 }]),
        ])() };
      case 'unknown-service':
        // Every one a new name, long enough that keeping per-name state would show in the heap.
        return { data: this.data(`SVC_${this.unknownNames++}_${'n'.repeat(this.int(1000, 3000))}`, [{ key: 'A', 1: 1 }]) };
      case 'binary': {
        this.sent.binary++;
        return { data: Buffer.from(Array.from({ length: this.int(0, 300) }, () => this.int(0, 255))), binary: true };
      }
      case 'not-utf8':
        this.sent.notUtf8++;
        return { data: Buffer.concat([Buffer.from('{"notify":[{"heartbeat":"1"}],"x":"'), Buffer.from([0xff, 0xc3, 0x28, 0xed, 0xa0, 0x80]), Buffer.from('"}')]) };
      case 'malformed':
        return { data: this.pick(['{', '{"data":[', '{"data":[{"service":"LEVELONE_EQUITIES","content":[{"key":"A","1":', '\ufffd\ufffd', '', ' ', '}{', '{"a":1}}']) };
      case 'odd-response':
        return { data: JSON.stringify({ response: [{ service: 'LEVELONE_EQUITIES', command: 'SUBS', requestid: String(this.int(1000, 1e9)), timestamp: 1, content: { code: this.int(-5, 40), msg: 'x'.repeat(this.int(0, 5000)) } }] }) };
    }
  }
}

async function sendAll(socket: HostileSocket, fuzz: Fuzz, from: number, to: number, total: number): Promise<void> {
  for (let i = from; i < to; i++) {
    const f = fuzz.frame(i, total);
    socket.queue(f.data, { binary: f.binary });
    // Keep the sender a little ahead of the receiver, not a whole run's worth of frames in memory.
    if (i % 200 === 199) await socket.drain();
  }
  await socket.drain();
}

test(`a hostile feed of ${FRAMES.toLocaleString('en-US')} frames (seed ${SEED}) is archived in full, and nothing it holds ends the session or floods the output`, { timeout: 300_000 }, async (t) => {
  const tmp = tempDir('hostile');
  const server = await startHostileServer();
  const dbPath = join(tmp.dir, 'hostile.db');
  const recorder = await Recorder.openThreaded(dbPath);
  const engine = new Engine({
    provider: hostileProvider(server),
    recorder,
    subscriptions: [{ service: 'LEVELONE_EQUITIES', keys: SYMBOLS }],
    publishQuotes: false,
    client: { silenceTimeoutMs: 120_000, commandTimeoutMs: 30_000 },
  });
  let stopping: Promise<void> | null = null;
  const stop = () => (stopping ??= engine.stop());
  const reports: Extract<EngineEvent, { type: 'problem' }>[] = [];
  const others: EngineEvent[] = [];
  engine.on((e) => {
    if (e.type === 'problem') reports.push(e);
    else if (e.type !== 'status' && e.type !== 'quotes') others.push(e);
  });
  try {
    engine.start();
    let streaming: HostileSocket | null = null;
    void server.streaming.then((s) => (streaming = s));
    const socket = await waitFor('the engine to log in and subscribe', () => streaming, 15_000);
    const fuzz = new Fuzz(SEED);
    // A session that ended fails at once, with why, instead of waiting out the deadline.
    const ended = () => others.find((e) => e.type === 'fatal' || (e.type === 'connection' && e.event === 'disconnected'));
    const committed = (n: number, what: string) =>
      waitFor(what, () => {
        const end = ended();
        if (end) throw new Error(`the session ended: ${JSON.stringify(end)}`);
        const r = recorder.stats();
        return r.frames >= n && r.pendingFrames === 0;
      }, 90_000);

    // Warm up with the first frames, then measure the heap from there.
    const warm = Math.min(2000, FRAMES);
    await sendAll(socket, fuzz, 0, warm, FRAMES);
    await committed(server.sent, 'the warm-up frames committed');
    gc();
    const heapBefore = process.memoryUsage().heapUsed;

    await sendAll(socket, fuzz, warm, FRAMES, FRAMES);
    await committed(server.sent, 'every frame committed');
    gc();
    const heapAfter = process.memoryUsage().heapUsed;

    const status = engine.status();
    t.diagnostic(`${server.sent} frames sent, ${status.problems} problems counted, ${reports.length} report lines, heap ${((heapAfter - heapBefore) / 2 ** 20).toFixed(1)} MiB after − before`);
    assert.equal(status.connection, 'streaming', `the session ended: ${status.detail}`);
    assert.equal(status.reconnects, 0);
    assert.equal(server.connections, 1);
    assert.equal(status.frames, server.sent);
    assert.ok(heapAfter - heapBefore < MAX_HEAP_GROWTH, `heap grew by ${((heapAfter - heapBefore) / 2 ** 20).toFixed(1)} MiB`);

    // What a terminal or window would show: few lines, each escaped and of a sane length.
    assert.ok(reports.length <= MAX_REPORT_LINES, `${reports.length} problem lines`);
    assert.ok(reports.length > 0);
    for (const r of reports) {
      const shown = `${r.kind} ${r.service ?? ''} ${r.detail}`;
      assert.doesNotMatch(shown, /[\u0000-\u001f\u007f-\u009f\u202e]/, shown);
      assert.ok(shown.length < 600, `${shown.length} characters`);
    }
    assert.ok(status.problems > FRAMES / 2, `${status.problems} problems counted`);
    assert.equal(ended(), undefined);

    await stop();
    const sent = fuzz.sent;
    // Every message is archived, acknowledgements included; the ones text cannot hold as bytes.
    const archived = archivedFrames(dbPath);
    const asBytes = (flag: number) => archived.filter((f) => f.flags & flag && f.text === null && f.data !== null).length;
    assert.equal(archived.length, server.sent);
    assert.equal(count(dbPath, 'SELECT count(*) AS n FROM sessions'), 1);
    assert.equal(asBytes(FRAME_FLAGS.binary), sent.binary);
    assert.equal(asBytes(FRAME_FLAGS.notUtf8), sent.notUtf8);
    assert.equal(archived.filter((f) => f.flags & FRAME_FLAGS.repairedText).length, sent.loneSurrogate);
    assert.equal(archived.filter((f) => (f.text?.length ?? 0) > MAX_DECODED_CHARS).length, sent.tooLarge);
    // Every key stored is valid UTF-8 (Python's sqlite3 and others can read the column).
    const keys = query<{ k: Buffer }>(dbPath, 'SELECT DISTINCT CAST(key AS BLOB) AS k FROM levelone_equities');
    assert.ok(keys.length >= SYMBOLS.length);
    for (const { k } of keys) assert.ok(isUtf8(k), k.toString('hex'));
  } finally {
    await stop().catch(() => undefined);
    await server.close();
    tmp.cleanup();
  }
});
