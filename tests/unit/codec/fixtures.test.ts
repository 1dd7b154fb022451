/**
 * Table-driven over the real sample frames of both dialects (tests/fixtures/protocol): every sample
 * decodes without throwing, and where a sample has `expected`, every named field matches.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { test } from 'node:test';
import { decodeFrame } from '../../../electron/node/codec/decode-frame.js';
import type { MarketUpdate } from '../../../shared/market.js';
import type { Dialect } from '../../../shared/protocol/services.js';

interface Sample {
  service: string | null;
  source_test: string;
  raw: unknown;
  expected: unknown;
}

const load = (file: string): Sample[] => JSON.parse(readFileSync(new URL(`../../fixtures/protocol/${file}`, import.meta.url), 'utf8'));
const DIALECTS: [Dialect, Sample[]][] = [
  ['schwab', load('schwab-samples.json')],
  ['tdameritrade', load('tdameritrade-samples.json')],
];

/** schwab-py misnames LEVELONE_OPTIONS field 20 (docs/protocol/schwab.md §5.2); we use the reference's meaning. */
const RENAMES: Record<string, string> = { STRIKE_TYPE: 'strike_price' };
const META = new Set(['key', 'seq', 'delayed', 'assetMainType', 'assetSubType', 'cusip']);
const NESTED = new Set(['BIDS', 'ASKS', 'ITEMS']);

const isDataEntry = (v: unknown): v is { service: string; content: Record<string, unknown>[] } =>
  typeof v === 'object' && v !== null && !Array.isArray(v) && Array.isArray((v as { content?: unknown }).content);

const isEmptyData = (raw: unknown): boolean =>
  typeof raw === 'object' && raw !== null && Array.isArray((raw as { data?: unknown }).data) && (raw as { data: object[] }).data.every((d) => !('content' in d));

function text(raw: unknown): string {
  return typeof raw === 'string' ? raw : JSON.stringify(raw);
}

function checkBook(update: MarketUpdate, expected: Record<string, unknown>, where: string) {
  const sides: [string, 'bids' | 'asks', string][] = [['BIDS', 'bids', 'BID'], ['ASKS', 'asks', 'ASK']];
  for (const [name, side, prefix] of sides) {
    const levels = expected[name] as Record<string, unknown>[];
    assert.equal(update.book?.[side].length, levels.length, `${where} ${side}`);
    levels.forEach((lvl, i) => {
      const got = update.book![side][i]!;
      assert.equal(got.price, lvl[`${prefix}_PRICE`], `${where} ${side}[${i}] price`);
      assert.equal(got.size, lvl.TOTAL_VOLUME);
      assert.equal(got.count, lvl[`NUM_${prefix}S`]);
      const entries = lvl[`${prefix}S`] as Record<string, unknown>[];
      assert.deepEqual(
        got.entries,
        entries.map((e) => ({ venue: e.EXCHANGE, size: e[`${prefix}_VOLUME`], time: e.SEQUENCE })),
      );
    });
  }
}

for (const [dialect, samples] of DIALECTS) {
  test(`${dialect}: every sample decodes without an internal failure, and none vanishes silently`, () => {
    for (const s of samples) {
      const decoded = decodeFrame(text(s.raw), dialect);
      // decodeFrame catches its own exceptions and reports them as decode-failed: that is the throw.
      assert.deepEqual(decoded.problems.filter((p) => p.kind === 'decode-failed'), [], s.source_test);
      // Each sample is a real frame: it decodes to something, or says why not (a data entry without
      // content, as servers send after some SUBS, has nothing to say).
      if (isEmptyData(s.raw)) continue;
      const yielded = decoded.updates.length + decoded.responses.length + decoded.notices.length + decoded.problems.length + (decoded.heartbeat ? 1 : 0);
      assert.ok(yielded > 0, `${s.source_test}: decoded to nothing and reported nothing`);
    }
  });

  test(`${dialect}: decoded data matches every sample's expected fields`, () => {
    let checked = 0;
    for (const s of samples) {
      const expected = s.expected;
      if (!isDataEntry(expected) || expected.content.some((i) => 'msg' in i)) continue;
      const decoded = decodeFrame(text(s.raw), dialect);
      const updates = decoded.updates.filter((u) => u.service === expected.service);
      assert.equal(updates.length, expected.content.length, s.source_test);
      expected.content.forEach((item, i) => {
        const u = updates[i]!;
        const where = `${s.source_test} item ${i}`;
        assert.equal(u.key, item.key, where);
        for (const [name, value] of Object.entries(item)) {
          if (name === 'key') continue;
          if (META.has(name)) {
            assert.deepEqual(u.meta[name as keyof typeof u.meta], value, `${where} ${name}`);
          } else if (NESTED.has(name)) {
            continue;
          } else {
            const field = RENAMES[name] ?? name.toLowerCase();
            assert.ok(field in u.fields, `${where}: ${field} missing`);
            assert.deepEqual(u.fields[field], value, `${where} ${field}`);
          }
          checked++;
        }
        if ('BIDS' in item) checkBook(u, item, where);
        if ('ITEMS' in item) {
          const items = item.ITEMS as Record<string, unknown>[];
          assert.deepEqual(u.screener?.map((x) => x.symbol), items.map((x) => x.symbol), where);
          assert.deepEqual(u.screener?.map((x) => x.netPercentChange), items.map((x) => x.netPercentChange));
        }
      });
    }
    assert.ok(checked > 200, `only ${checked} fields compared`);
  });
}
