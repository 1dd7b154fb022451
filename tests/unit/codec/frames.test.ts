/** Concrete decoding of the fixture frames that have no `expected`, and of hostile input. */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { decodeFrame } from '../../../electron/node/codec/decode-frame.js';
import { repairJson } from '../../../electron/node/codec/lenient-json.js';
import { parseActives } from '../../../electron/node/codec/nested.js';

interface Sample { service: string | null; source_test: string; raw: unknown }
const td: Sample[] = JSON.parse(readFileSync(new URL('../../fixtures/protocol/tdameritrade-samples.json', import.meta.url), 'utf8'));
const text = (s: Sample) => (typeof s.raw === 'string' ? s.raw : JSON.stringify(s.raw));
const find = (service: string, source: RegExp) => {
  const s = td.find((x) => x.service === service && source.test(x.source_test));
  assert.ok(s, `${service} ${source}`);
  return text(s);
};

test('heartbeats carry their server time as a number', () => {
  assert.equal(decodeFrame(find('HEARTBEAT', /official-doc/), 'tdameritrade').heartbeat, 1400603717165);
});

test('code 30 and code 12 notices are decoded, with or without the notify envelope', () => {
  const thirty = decodeFrame(find('ADMIN', /tda-api#152/), 'tdameritrade');
  assert.deepEqual(thirty.notices.map((n) => [n.service, n.code]), [['ADMIN', 30]]);
  const twelve = decodeFrame(find('Invalid Service', /#267/), 'tdameritrade');
  assert.equal(twelve.notices[0]?.code, 12);
  assert.match(twelve.notices[0]?.msg ?? '', /one Streamer open at a time/);
});

test('responses keep code, message and the request id as a string', () => {
  const denied = td.find((s) => s.service === 'ADMIN' && /official-doc/.test(s.source_test) && JSON.stringify(s.raw).includes('"code":3'));
  const r = decodeFrame(text(denied!), 'tdameritrade').responses[0]!;
  assert.equal(r.code, 3);
  assert.equal(r.command, 'LOGIN');
  assert.equal(typeof r.requestId, 'string');
  const numeric = decodeFrame('{"response":[{"service":"QUOTE","requestid":7,"command":"SUBS","timestamp":1,"content":{"code":0,"msg":"SUBS command succeeded"}}]}', 'tdameritrade');
  assert.equal(numeric.responses[0]?.requestId, '7');
});

test('the official NYSE actives sample keeps its negative (overflowed) total', () => {
  const u = decodeFrame(find('ACTIVES_NYSE', /official-doc/), 'tdameritrade').updates[0]!;
  const shares = u.actives!.groups.find((g) => g.total < 0);
  assert.ok(shares, 'a group with a negative total');
  assert.ok(shares.entries.length > 0 && shares.entries.every((e) => e.percent < 0));
  assert.equal(typeof u.fields.actives, 'string');
});

test('actives strings parse per docs/protocol/tdameritrade.md §5.11, with or without a trailing separator', () => {
  const s = '35477;0;9:51:00;09:51:17;2;0:3:1721453:INO:84236:4.89:CPAH:47992:2.79:AAPL:1000:0.06;1:1:445734213:OAS:56489181:12.67';
  for (const text of [s, `${s};`]) {
    const a = parseActives(text, false)!;
    assert.deepEqual([a.id, a.sampleDuration, a.startTime, a.displayTime], ['35477', 0, '9:51:00', '09:51:17']);
    assert.deepEqual(a.groups.map((g) => [g.groupId, g.total, g.entries.length]), [[0, 1721453, 3], [1, 445734213, 1]]);
    assert.deepEqual(a.groups[0]!.entries[0], { symbol: 'INO', description: null, volume: 84236, percent: 4.89 });
  }
  const opts = parseActives('1;0;9:30:00;09:30:05;1;0:1:500:APV Nov 21 2009 200.0 Call:APV_112109C200:250:50.00', true);
  assert.equal(opts?.groups[0]?.entries[0]?.symbol, 'APV Nov 21 2009 200.0 Call');
  assert.equal(parseActives('garbage', false), null);
});

test('a frame mixing services yields updates for each', () => {
  const u = decodeFrame(find('LEVELONE_FUTURES+QUOTE', /sample_/), 'tdameritrade').updates;
  assert.deepEqual([...new Set(u.map((x) => x.service))].sort(), ['LEVELONE_FUTURES', 'QUOTE']);
});

test('chart history snapshots decode into candles', () => {
  const u = decodeFrame(find('CHART_HISTORY_FUTURES', /official-doc/), 'tdameritrade').updates[0]!;
  assert.ok((u.candles?.length ?? 0) > 0);
  const c = u.candles![0]!;
  assert.ok(c.high >= c.low && c.time > 1e12);
});

test('the unparsable U+FFFD frame is repaired, decoded and flagged', () => {
  const d = decodeFrame(find('LEVELONE_FUTURES', /unparsable/), 'tdameritrade');
  assert.deepEqual(d.problems.map((p) => p.kind), ['repaired-json']);
  assert.equal(d.updates[0]?.fields.description, 'Symbol not found');
});

test('repairJson escapes raw control characters inside strings and nulls bare U+FFFD', () => {
  assert.deepEqual(repairJson('{"a":"x\ny","b":\ufffd\ufffd}'), { a: 'x\ny', b: null });
  assert.equal(repairJson('{"a":'), null);
});

test('unknown services and fields are reported once per frame; the rest still decodes', () => {
  const d = decodeFrame(
    JSON.stringify({ data: [
      { service: 'WEATHER', timestamp: 1, command: 'SUBS', content: [{ key: 'X' }] },
      { service: 'QUOTE', timestamp: 2, command: 'SUBS', content: [{ key: 'A', '1': 1.5, '999': 7, zzz: 1 }, { key: 'B', '999': 8 }, { nokey: true }] },
    ] }),
    'tdameritrade',
  );
  assert.deepEqual(d.updates.map((u) => [u.key, u.fields]), [['A', { bid_price: 1.5 }], ['B', {}]]);
  assert.deepEqual(d.problems.map((p) => `${p.kind} ${p.service ?? ''} ${p.detail}`).sort(), [
    'bad-item QUOTE an item without a string key',
    'unknown-field QUOTE field 999',
    'unknown-field QUOTE field zzz',
    'unknown-service WEATHER unknown tdameritrade service WEATHER',
  ]);
});

test('hostile input never throws', () => {
  for (const t of ['', 'null', '[]', '42', '"x"', '{', '{"data":5}', '{"data":[null,1,"x"]}', '{"response":[null]}', '{"notify":[{"heartbeat":"abc"}]}', '\u0000\ufffd', 'x'.repeat(10000)]) {
    const d = decodeFrame(t, 'schwab');
    assert.equal(d.updates.length, 0, t.slice(0, 20));
    assert.ok(d.problems.length > 0, t.slice(0, 20));
  }
});
