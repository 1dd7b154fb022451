/**
 * The engine against a hostile server, frame by frame: each frame reaches the recorder before it
 * is decoded, a frame that breaks something downstream is still archived and reported, and server
 * text in what the engine says (refusals, close reasons) arrives escaped and cut.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { Engine, type RecordSink } from '../../electron/node/engine/engine.js';
import { Recorder } from '../../electron/node/recorder/recorder.js';
import type { EngineEvent } from '../../shared/engine-events.js';
import { archivedFrames, query } from '../helpers/db.js';
import { hostileProvider, startHostileServer, type HostileSocket } from '../helpers/hostile-server.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const tmp = tempDir('archive-first');
after(() => tmp.cleanup());

const HOSTILE_TEXT = 'refused \x1b]0;pwned\x07\x1b[2J' + 'r'.repeat(200_000);
const CONTROL = /[\u0000-\u001f\u007f-\u009f]/;

test('frames are archived before they are decoded; failures downstream are reported; server text is escaped and cut', async () => {
  const server = await startHostileServer({
    answer: (r) => (r.command === 'SUBS' && r.service === 'NASDAQ_BOOK' ? { code: 11, msg: HOSTILE_TEXT } : { code: 0, msg: `${r.command} ok` }),
  });
  const dbPath = join(tmp.dir, 'first.db');
  const recorder = Recorder.open(dbPath);
  // The real recorder, watched: which call came when.
  const calls: string[] = [];
  const sink: RecordSink = {
    beginConnection: (info) => recorder.beginConnection(info),
    endConnection: (id, reason, at) => recorder.endConnection(id, reason, at),
    stats: () => recorder.stats(),
    close: () => recorder.close(),
    archive(frame) {
      calls.push(`archive ${frame.text.slice(0, 12)}`);
      recorder.archive(frame);
    },
    decoded(result) {
      calls.push(`decoded ${result.updates.map((u) => u.key).join(',')}`);
      recorder.decoded(result);
    },
  };
  const engine = new Engine({
    provider: hostileProvider(server),
    recorder: sink,
    subscriptions: [
      { service: 'LEVELONE_EQUITIES', keys: ['AAPL'] },
      { service: 'NASDAQ_BOOK', keys: ['AAPL'] },
    ],
    publishQuotes: false,
    client: { backoff: { initialMs: 50, maxMs: 100 } },
  });
  engine.onUpdate((u) => {
    calls.push(`update ${u.key}`);
    if (u.key === 'THROW') throw new Error('listener failed \x1b[2J');
  });
  const events: EngineEvent[] = [];
  engine.on((e) => {
    if (e.type !== 'status' && e.type !== 'quotes') events.push(e);
  });
  try {
    engine.start();
    let streaming: HostileSocket | null = null;
    void server.streaming.then((s) => (streaming = s));
    const socket = await waitFor('streaming', () => streaming);
    const refusal = await waitFor('the refusal of NASDAQ_BOOK', () => events.find((e) => e.type === 'subscription-error'));
    calls.length = 0;

    const level1 = (key: string, extra = '') => `{"data":[{"service":"LEVELONE_EQUITIES","timestamp":1,"content":[{"key":"${key}","1":1${extra}}]}]}`;
    await socket.send(level1('AAPL'));
    await socket.send(level1('THROW'));
    await socket.send(level1('DEEP', `,"2":${'['.repeat(5000)}${']'.repeat(5000)}`));
    await waitFor('three frames handled', () => calls.filter((c) => c.startsWith('decoded')).length >= 3);
    assert.deepEqual(calls, [
      'archive {"data":[{"s',
      'update AAPL',
      'decoded AAPL',
      'archive {"data":[{"s',
      'update THROW',
      'decoded THROW',
      'archive {"data":[{"s',
      'update DEEP',
      'decoded DEEP',
    ]);
    const problems = events.filter((e): e is Extract<EngineEvent, { type: 'problem' }> => e.type === 'problem');
    assert.deepEqual(problems.map((p) => p.kind), ['listener', 'too-deep']);
    assert.doesNotMatch(problems[0]!.detail, CONTROL);

    // Server text in what the engine says: escaped, cut, the total noted.
    assert.equal(refusal.type, 'subscription-error');
    if (refusal.type === 'subscription-error') {
      assert.doesNotMatch(refusal.message, CONTROL);
      assert.match(refusal.message, /^refused \\x1b\]0;pwned\\x07\\x1b\[2Jr+… \(200,022 characters\)$/);
      assert.ok(refusal.message.length < 400);
    }
    // A close reason and a closing notice come from the server too.
    await socket.send(JSON.stringify({ notify: [{ service: 'ADMIN', timestamp: 1, content: { code: 30, msg: HOSTILE_TEXT } }] }));
    const dropped = await waitFor('the disconnect', () => events.find((e) => e.type === 'connection' && e.event === 'disconnected'));
    assert.equal(dropped.type, 'connection');
    if (dropped.type === 'connection') {
      assert.doesNotMatch(dropped.detail, CONTROL);
      assert.ok(dropped.detail.length < 400, `${dropped.detail.length} characters`);
    }
    assert.doesNotMatch(engine.status().detail ?? '', CONTROL);
  } finally {
    await engine.stop();
    await server.close();
  }
  // All three frames are in the archive, THROW's and DEEP's rows included.
  const keys = query<{ key: string }>(dbPath, 'SELECT key FROM levelone_equities ORDER BY id').map((r) => r.key);
  assert.deepEqual(keys, ['AAPL', 'THROW', 'DEEP']);
  assert.equal(archivedFrames(dbPath).filter((f) => f.text?.includes('[[[[[')).length, 1);
});
