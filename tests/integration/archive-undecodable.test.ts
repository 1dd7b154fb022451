/**
 * The archive keeps every frame, not only those that decode to updates: a frame of an unknown
 * service, text that is not JSON and a data frame with no content are stored exactly as received
 * (and reported), and rows keep coming for the frames that do decode.
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { test } from 'node:test';
import { Engine } from '../../electron/node/engine/engine.js';
import { Recorder } from '../../electron/node/recorder/recorder.js';
import type { EngineEvent } from '../../shared/engine-events.js';
import { archivedFrames, countRows } from '../helpers/db.js';
import { hostileProvider, startHostileServer } from '../helpers/hostile-server.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

test('frames that decode to no update are archived as received and reported', async (t) => {
  const tmp = tempDir('archive-undecodable');
  const server = await startHostileServer();
  const dbPath = join(tmp.dir, 'undecodable.db');
  const engine = new Engine({
    provider: hostileProvider(server),
    recorder: Recorder.open(dbPath, { flushIntervalMs: 20 }),
    subscriptions: [{ service: 'LEVELONE_EQUITIES', keys: ['AAPL'] }],
    publishQuotes: false,
    client: { backoff: { initialMs: 50, maxMs: 100 } },
  });
  t.after(async () => {
    await engine.stop();
    await server.close();
    tmp.cleanup();
  });
  const problems: Extract<EngineEvent, { type: 'problem' }>[] = [];
  engine.on((e) => {
    if (e.type === 'problem') problems.push(e);
  });
  engine.start();
  const socket = await server.streaming;

  const unknownService = '{"data":[{"service":"NO_SUCH_SERVICE","timestamp":1,"content":[{"key":"AAPL","1":2}]}]}';
  const notJson = '{"data":[{"service":"LEVELONE_EQUITIES", this is not JSON';
  const noContent = '{"data":[{"service":"LEVELONE_EQUITIES","timestamp":1,"content":[]}]}';
  const decodable = '{"data":[{"service":"LEVELONE_EQUITIES","timestamp":1,"content":[{"key":"AAPL","1":101.5}]}]}';
  for (const frame of [unknownService, notJson, noContent, decodable]) await socket.send(frame);

  await waitFor('the decodable frame recorded', () => countRows(dbPath, 'levelone_equities', "key = 'AAPL'") === 1);
  const archived = archivedFrames(dbPath).map((f) => f.text);
  // The LOGIN and SUBS answers come first; then the four frames, each exactly as sent.
  assert.deepEqual(archived.slice(-4), [unknownService, notJson, noContent, decodable]);
  const kinds = problems.map((p) => p.kind);
  assert.ok(kinds.includes('unknown-service'), kinds.join());
  assert.ok(kinds.some((k) => /json/.test(k)), kinds.join());
  assert.match(problems.find((p) => p.kind === 'unknown-service')!.detail, /NO_SUCH_SERVICE/);
});
