/** The decoder against what a hostile or broken server can send: it reports, it never throws, it stays bounded. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { cachedDecoderCount, decodeFrame, MAX_DECODED_CHARS, MAX_VALUE_DEPTH } from '../../../electron/node/codec/decode-frame.js';

const data = (service: string, items: unknown[]) => JSON.stringify({ data: [{ service, timestamp: 1, command: 'SUBS', content: items }] });
const kinds = (f: ReturnType<typeof decodeFrame>) => f.problems.map((p) => p.kind);
const nested = (depth: number) => '['.repeat(depth) + ']'.repeat(depth);

test('a field holding an array nested 5,000 deep is left out and reported; the rest of the update is kept', () => {
  const text = `{"data":[{"service":"LEVELONE_EQUITIES","timestamp":1,"content":[{"key":"AAPL","1":${nested(5000)},"2":101.5}]}]}`;
  const f = decodeFrame(text, 'schwab');
  assert.deepEqual(kinds(f), ['too-deep']);
  assert.equal(f.updates.length, 1);
  assert.equal(f.updates[0]!.fields.ask_price, 101.5);
  assert.equal('bid_price' in f.updates[0]!.fields, false);
  // Just inside the limit is kept, as JSON text.
  const ok = decodeFrame(`{"data":[{"service":"LEVELONE_EQUITIES","timestamp":1,"content":[{"key":"AAPL","1":${nested(MAX_VALUE_DEPTH)}}]}]}`, 'schwab');
  assert.deepEqual(kinds(ok), []);
  assert.equal(ok.updates[0]!.fields.bid_price, nested(MAX_VALUE_DEPTH));
});

test('a frame over the size limit is not decoded, and says how large it was', () => {
  const text = data('LEVELONE_EQUITIES', [{ key: 'AAPL', 1: 1, pad: 'x'.repeat(MAX_DECODED_CHARS) }]);
  const f = decodeFrame(text, 'schwab');
  assert.deepEqual(kinds(f), ['too-large']);
  assert.equal(f.updates.length, 0);
  assert.match(f.problems[0]!.detail, /8,388,7\d\d characters/);
});

test('values of the wrong type never throw: objects whose toString is not a function, numbers for strings, strings for lists', () => {
  const evil = { toString: 1, valueOf: 1 };
  const frames = [
    JSON.stringify({ response: [{ service: 'ADMIN', command: 'LOGIN', requestid: evil, content: { code: evil, msg: evil } }] }),
    data('NASDAQ_BOOK', [{ key: 'AAPL', 1: evil, 2: [{ 0: 1, 1: 2, 2: 1, 3: [{ 0: evil, 1: evil, 2: evil }] }], 3: evil }]),
    data('SCREENER_EQUITY', [{ key: '$SPX', 4: [{ symbol: evil, description: evil, lastPrice: evil }] }]),
    data('LEVELONE_EQUITIES', [{ key: 7 }, { key: evil }, 'AAPL', null, { key: 'MSFT', 1: evil, 2: [1, [2]], assetMainType: evil, delayed: 'yes' }]),
    JSON.stringify({ data: 'not a list', notify: [evil, { heartbeat: evil }], response: [null, 1, 'x'] }),
    JSON.stringify({ data: [{ service: evil, content: evil }, { service: 'LEVELONE_EQUITIES', content: 'AAPL' }] }),
    '{"__proto__":{"data":1},"constructor":{"prototype":1}}',
    '[1,2,3]',
    '"just a string"',
    'null',
  ];
  for (const text of frames) assert.doesNotThrow(() => decodeFrame(text, 'schwab'), text);
  const book = decodeFrame(frames[1]!, 'schwab').updates[0]!;
  assert.equal(book.book!.bids[0]!.entries[0]!.venue, '');
  const r = decodeFrame(frames[0]!, 'schwab').responses[0]!;
  assert.equal(r.requestId, '');
  assert.equal(r.code, -1);
});

test('a key with a lone surrogate is replaced by U+FFFD and reported, so it can be stored as UTF-8', () => {
  const text = String.raw`{"data":[{"service":"LEVELONE_EQUITIES","timestamp":1,"content":[{"key":"\ud800lone","1":1,"15":"desc \udfff"}]}]}`;
  const f = decodeFrame(text, 'schwab');
  assert.deepEqual(kinds(f), ['invalid-text']);
  assert.equal(f.updates[0]!.key, '\ufffdlone');
  assert.equal(f.updates[0]!.fields.description, 'desc \ufffd');
  // A valid pair written as escapes is left alone and not reported.
  const pair = decodeFrame(String.raw`{"data":[{"service":"LEVELONE_EQUITIES","timestamp":1,"content":[{"key":"\ud83d\udcc8"}]}]}`, 'schwab');
  assert.deepEqual(kinds(pair), []);
  assert.equal(pair.updates[0]!.key, '📈');
});

test('problem details are safe to print: control characters escaped, server text cut', () => {
  const f = decodeFrame('{"x":\x1b]0;owned\x07 \x1b[2J', 'schwab');
  assert.deepEqual(kinds(f), ['malformed-json']);
  assert.doesNotMatch(f.problems[0]!.detail, /[\x00-\x1f]/);
  const name = 'EVIL\x1b[2J' + 'N'.repeat(200_000);
  const u = decodeFrame(data(name, [{ key: 'A' }]), 'schwab');
  assert.deepEqual(kinds(u), ['unknown-service']);
  assert.doesNotMatch(u.problems[0]!.detail + u.problems[0]!.service, /[\x00-\x1f]/);
  assert.ok(u.problems[0]!.detail.length < 200 && u.problems[0]!.service!.length < 120);
});

test('unknown service names are not cached, however many distinct ones arrive', () => {
  decodeFrame(data('LEVELONE_EQUITIES', [{ key: 'AAPL', 1: 1 }]), 'schwab');
  const before = cachedDecoderCount();
  for (let i = 0; i < 5000; i++) decodeFrame(data(`NO_SUCH_SERVICE_${i}`, [{ key: 'A' }]), i % 2 ? 'schwab' : 'tdameritrade');
  assert.equal(cachedDecoderCount(), before);
});
