/**
 * The simulator's market data against the references' payload formats: determinism by seed,
 * instrument fields per asset class, books consistent with level one, charts in each dialect's field
 * order, time and sales, screeners, and the actives string grammar (docs/protocol/tdameritrade.md §5.11).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type SimHandle } from '../../../electron/node/sim/index.js';
import { allFields, numbered, schwabSession, schwabStream, tdSession, tdStream, type Obj } from './sim-client.js';

/**
 * LEVELONE_EQUITIES fields that the seed fixes for the day: description, listing, close, open, 52-week
 * range, fundamentals. Live fields (bid, ask, last, sizes, times) follow the price path in wall-clock
 * time, so two runs agree on them only as closely as their clocks do.
 */
const SEED_FIELDS = ['12', '13', '14', '15', '17', '19', '20', '21', '22', '23', '25', '26', 'cusip', 'assetMainType', 'assetSubType'];
const seedFields = (i: Obj) => Object.fromEntries(SEED_FIELDS.filter((k) => k in i).map((k) => [k, i[k]]));

async function firstItems(seed: number): Promise<Obj[]> {
  const sim = await startSimulator({ seed, rate: 300 });
  try {
    const { c, req } = await schwabStream(await schwabSession(sim));
    c.send(req('LEVELONE_EQUITIES', 'SUBS', { keys: 'AAPL,QZXV', fields: allFields(51) }));
    return (await c.itemsUntil('LEVELONE_EQUITIES', 2)).slice(0, 2);
  } finally {
    await sim.close();
  }
}

describe('simulator market data', () => {
  test('the same seed gives the same market; another seed does not', async () => {
    const [a, b, other] = [await firstItems(7), await firstItems(7), await firstItems(8)];
    assert.deepEqual(a.map(seedFields), b.map(seedFields));
    for (const [i, item] of a.entries()) {
      // The same path at (nearly) the same moment: within a few cents.
      for (const f of ['1', '2', '3']) assert.ok(Math.abs((item[f] as number) - (b[i]![f] as number)) / (item[f] as number) < 0.002, `${String(item.key)} field ${f}`);
    }
    assert.equal(a[1]!.key, 'QZXV');
    assert.equal(typeof a[1]!['15'], 'string', 'a ticker outside the universe still gets a description');
    assert.notDeepEqual(a.map(seedFields), other.map(seedFields));
    assert.notEqual(a[0]!['17'], other[0]!['17'], 'another seed, another path: another open');
  });

  describe('Schwab payloads', () => {
    let sim: SimHandle;
    before(async () => (sim = await startSimulator({ rate: 600, barMs: 200 })));
    after(() => sim.close());

    test('options, futures, futures options and forex carry their contract terms', async () => {
      const { c, req } = await schwabStream(await schwabSession(sim));
      c.send(
        req('LEVELONE_OPTIONS', 'SUBS', { keys: 'AAPL  271217C00230000', fields: allFields(55) }),
        req('LEVELONE_FUTURES', 'SUBS', { keys: '/ES,/CLZ27', fields: allFields(40) }),
        req('LEVELONE_FUTURES_OPTIONS', 'SUBS', { keys: './OZCZ27C565', fields: allFields(31) }),
        req('LEVELONE_FOREX', 'SUBS', { keys: 'EUR/USD,USD/JPY', fields: allFields(29) }),
      );
      const [opt] = await c.itemsUntil('LEVELONE_OPTIONS', 1);
      assert.equal(opt!.assetMainType, 'OPTION');
      assert.equal(opt!.cusip, '');
      assert.equal(opt!['1'], 'AAPL 12/17/2027 230.00 C');
      assert.deepEqual([opt!['20'], opt!['21'], opt!['22'], opt!['12'], opt!['23'], opt!['26']], [230, 'C', 'AAPL', 2027, 12, 17]);
      assert.ok((opt!['2'] as number) <= (opt!['3'] as number));
      assert.ok((opt!['28'] as number) > 0 && (opt!['28'] as number) < 1, 'a call delta');

      const futures = await c.itemsUntil('LEVELONE_FUTURES', 2, (i) => 'assetMainType' in i);
      const es = futures.find((i) => i.key === '/ES')!;
      assert.match(String(es['34']), /^\/ES[HMUZ]\d\d$/, 'a bare root reports its active contract');
      assert.match(String(es['16']), /^E-mini S&P 500 Index Futures,[A-Z][a-z]{2}-\d{4},ETH$/);
      assert.deepEqual([es['25'], es['26'], es['31'], es['21']], [0.25, 12.5, 50, 'XCME']);
      assert.equal(futures.find((i) => i.key === '/CLZ27')!['34'], '/CLZ27');
      assert.equal(es.cusip, undefined, 'no CUSIP on futures');

      const [fo] = await c.itemsUntil('LEVELONE_FUTURES_OPTIONS', 1);
      assert.deepEqual([fo!['24'], fo!['25'], fo!['28'], fo!['6'], fo!['7']], ['/ZCZ27', 565, 'C', 63, 63]);
      assert.equal(fo!.assetMainType, 'FUTURE_OPTION');

      const fx = await c.itemsUntil('LEVELONE_FOREX', 2, (i) => 'assetMainType' in i);
      assert.equal(fx.find((i) => i.key === 'EUR/USD')!['14'], 'Euro/USDollar Spot');
      assert.ok((fx.find((i) => i.key === 'USD/JPY')!['1'] as number) > 50, 'yen pairs trade around 150');
      c.close();
    });

    test('books: 5-10 levels a side, sizes summing their participants, best prices taken from level one', async () => {
      const { c, req } = await schwabStream(await schwabSession(sim, 'book-user'));
      c.send(req('LEVELONE_EQUITIES', 'SUBS', { keys: 'MSFT', fields: '0,1,2' }), req('NASDAQ_BOOK', 'SUBS', { keys: 'MSFT', fields: '0,1,2,3' }));
      await c.itemsUntil('NASDAQ_BOOK', 3, () => true, 8000);
      const bids = new Set<number>();
      const asks = new Set<number>();
      let books = 0;
      for (const f of c.frames) {
        for (const e of f.json?.data ?? []) {
          if (e.service === 'LEVELONE_EQUITIES') for (const i of e.content as Obj[]) {
            if (typeof i['1'] === 'number') bids.add(i['1']);
            if (typeof i['2'] === 'number') asks.add(i['2']);
          }
        }
        for (const e of f.json?.data ?? []) {
          if (e.service !== 'NASDAQ_BOOK') continue;
          for (const book of e.content as Obj[]) {
            books++;
            assert.equal(typeof book['1'], 'number');
            const sides = [book['2'], book['3']] as { '0': number; '1': number; '2': number; '3': { '0': string; '1': number; '2': number }[] }[][];
            for (const [n, side] of sides.entries()) {
              assert.ok(side.length >= 5 && side.length <= 10, `${side.length} levels`);
              for (let l = 0; l < side.length; l++) {
                const level = side[l]!;
                assert.equal(level['2'], level['3'].length);
                assert.equal(level['1'], level['3'].reduce((sum, p) => sum + p['1'], 0));
                for (const p of level['3']) assert.ok(typeof p['0'] === 'string' && p['2'] >= 0 && p['2'] < 86_400_000);
                if (l > 0) assert.ok(n === 0 ? level['0'] < side[l - 1]!['0'] : level['0'] > side[l - 1]!['0'], 'best first');
              }
            }
            assert.ok(bids.has(sides[0]![0]!['0']), `best bid ${sides[0]![0]!['0']} was a level-one bid`);
            assert.ok(asks.has(sides[1]![0]!['0']), `best ask ${sides[1]![0]!['0']} was a level-one ask`);
            assert.ok(sides[0]![0]!['0'] < sides[1]![0]!['0']);
          }
        }
      }
      assert.ok(books >= 3);
      c.close();
    });

    test('books carry both sides whatever fields were asked for, and their best level is level one’s at the same moment', async () => {
      const { c, req } = await schwabStream(await schwabSession(sim, 'l2-user'));
      c.send(req('LEVELONE_EQUITIES', 'SUBS', { keys: 'AAPL,MSFT', fields: '0,1,2,3' }), req('NASDAQ_BOOK', 'SUBS', { keys: 'AAPL,MSFT', fields: '0,1,2' }));
      await c.itemsUntil('NASDAQ_BOOK', 30, () => true, 15_000);
      // Replay the frames as a client merges them: after each frame, every key's last book top equals its level-one bid/ask.
      const l1 = new Map<string, { bid: number; ask: number }>();
      let checked = 0;
      for (const f of c.frames) {
        const tops = new Map<string, [number, number]>();
        for (const e of f.json?.data ?? []) {
          for (const item of e.content as Obj[]) {
            const key = String(item.key);
            if (e.service === 'LEVELONE_EQUITIES') {
              const cur = l1.get(key) ?? { bid: Number.NaN, ask: Number.NaN };
              if (typeof item['1'] === 'number') cur.bid = item['1'];
              if (typeof item['2'] === 'number') cur.ask = item['2'];
              l1.set(key, cur);
            } else if (e.service === 'NASDAQ_BOOK') {
              const bids = item['2'] as { '0': number }[] | undefined;
              const asks = item['3'] as { '0': number }[] | undefined;
              assert.ok(Array.isArray(bids) && bids.length > 0, 'bids with fields 0,1,2');
              assert.ok(Array.isArray(asks) && asks.length > 0, 'asks too, though field 3 was not asked for');
              assert.equal(typeof item['1'], 'number');
              tops.set(key, [bids[0]!['0'], asks[0]!['0']]);
            }
          }
        }
        for (const [key, [bid, ask]] of tops) {
          assert.deepEqual([bid, ask], [l1.get(key)?.bid, l1.get(key)?.ask], `${key} book top vs level one`);
          checked++;
        }
      }
      assert.ok(checked >= 10, `${checked} book frames checked`);
      c.close();
    });

    test('volatility is per unit of time, not per event: a ten-times faster feed moves the price no more; spreads a few cents, sizes round lots', async () => {
      const range = async (rate: number) => {
        const fast = await startSimulator({ rate, seed: 5 });
        try {
          const { c, req } = await schwabStream(await schwabSession(fast));
          c.send(req('LEVELONE_EQUITIES', 'SUBS', { keys: 'AAPL', fields: '0,1,2,3,4,5' }));
          await new Promise((r) => setTimeout(r, 3000));
          let bid = Number.NaN;
          let ask = Number.NaN;
          const mids: number[] = [];
          for (const item of c.items('LEVELONE_EQUITIES')) {
            if (typeof item['1'] === 'number') bid = item['1'];
            if (typeof item['2'] === 'number') ask = item['2'];
            for (const k of ['4', '5']) if (item[k] !== undefined) assert.equal((item[k] as number) % 100, 0, 'round-lot sizes');
            assert.ok(ask - bid > 0 && ask - bid <= 0.05 + 1e-9, `spread ${bid}/${ask}`);
            mids.push((bid + ask) / 2);
          }
          c.close();
          return { n: mids.length, move: (Math.max(...mids) - Math.min(...mids)) / mids[0]! };
        } finally {
          await fast.close();
        }
      };
      const slow = await range(50);
      const fast = await range(500);
      assert.ok(fast.n > slow.n * 3, `${fast.n} vs ${slow.n} updates`);
      // AAPL's daily volatility is under 2 %: over 3 s the mid moves a few hundredths of a percent at most.
      for (const r of [slow, fast]) assert.ok(r.move < 0.003, `moved ${(r.move * 100).toFixed(3)} % in 3 s`);
    });

    test('CHART_EQUITY uses the live Schwab order (1 sequence, 2-6 OHLCV, 7 time, 8 day) with seq; CHART_FUTURES has time first', async () => {
      const { c, req } = await schwabStream(await schwabSession(sim, 'chart-user'));
      c.send(req('CHART_EQUITY', 'SUBS', { keys: 'AAPL', fields: allFields(8) }), req('CHART_FUTURES', 'SUBS', { keys: '/ES', fields: allFields(6) }));
      const bars = await c.itemsUntil('CHART_EQUITY', 3, () => true, 8000);
      bars.forEach((b, i) => assert.equal(b.seq, i));
      for (const b of bars) {
        const [seqField, open, high, low, close, volume, time, day] = [1, 2, 3, 4, 5, 6, 7, 8].map((k) => b[String(k)] as number);
        assert.ok(Number.isInteger(seqField) && seqField! > -7 * 60 && seqField! < 17 * 60, `sequence ${seqField}`);
        assert.ok(high! >= Math.max(open!, close!) && low! <= Math.min(open!, close!));
        assert.ok(volume! >= 0);
        assert.equal(time! % 200, 0);
        // CHART_DAY: the New York calendar day, in days since 1970-01-01 (UTC-4 or UTC-5).
        assert.ok([4, 5].some((h) => day === Math.floor((time! - h * 3_600_000) / 86_400_000)), `day ${day}`);
      }
      const [fut] = await c.itemsUntil('CHART_FUTURES', 1);
      assert.equal((fut!['1'] as number) % 200, 0, 'field 1 is the bar time');
      assert.ok((fut!['2'] as number) > 1000, 'field 2 is the open');
      c.close();
    });

    test('screeners: ten named-key items per key, sorted by the key’s sort field, percent change as a ratio', async () => {
      const { c, req } = await schwabStream(await schwabSession(sim, 'screener-user'));
      c.send(
        req('SCREENER_EQUITY', 'SUBS', { keys: 'NASDAQ_VOLUME_5,$SPX_PERCENT_CHANGE_UP_0', fields: allFields(4) }),
        req('SCREENER_OPTION', 'SUBS', { keys: 'OPTION_CALL_TRADES_30', fields: allFields(4) }),
      );
      const eq = await c.itemsUntil('SCREENER_EQUITY', 2);
      const volume = eq.find((i) => i.key === 'NASDAQ_VOLUME_5')!;
      assert.deepEqual([volume['2'], volume['3']], ['VOLUME', 5]);
      const list = volume['4'] as Obj[];
      assert.equal(list.length, 10);
      for (const it of list) {
        assert.deepEqual(Object.keys(it).sort(), ['description', 'lastPrice', 'marketShare', 'netChange', 'netPercentChange', 'symbol', 'totalVolume', 'trades', 'volume']);
        assert.ok(Math.abs(it.netPercentChange as number) < 1);
      }
      for (let i = 1; i < list.length; i++) assert.ok((list[i - 1]!.volume as number) >= (list[i]!.volume as number));
      const up = (eq.find((i) => i.key === '$SPX_PERCENT_CHANGE_UP_0')!['4'] as Obj[]).map((i) => i.netPercentChange as number);
      for (let i = 1; i < up.length; i++) assert.ok(up[i - 1]! >= up[i]!);
      const [opt] = await c.itemsUntil('SCREENER_OPTION', 1);
      const calls = opt!['4'] as Obj[];
      assert.equal(calls.length, 10);
      for (const it of calls) assert.match(String(it.symbol), /^[A-Z ]{6}\d{6}C\d{8}$/);
      for (let i = 1; i < calls.length; i++) assert.ok((calls[i - 1]!.trades as number) >= (calls[i]!.trades as number));
      c.close();
    });

    test('rate bounds the content items a connection receives per second', async () => {
      const rated = await startSimulator({ rate: 100 });
      try {
        const { c, req } = await schwabStream(await schwabSession(rated));
        c.send(req('LEVELONE_EQUITIES', 'SUBS', { keys: 'AAPL,MSFT,IBM,GOOG,AMZN,TSLA,NVDA,META,SPY,QQQ', fields: allFields(51) }));
        await c.itemsUntil('LEVELONE_EQUITIES', 60);
        const at = (e: Obj) => e.timestamp as number;
        const data = c.entries('data').slice(1);
        const span = at(data[data.length - 1]!) - at(data[0]!);
        const items = data.slice(1).reduce((n, e) => n + (e.content as Obj[]).length, 0);
        assert.ok(span > 0);
        assert.ok(items <= (100 * span) / 1000 + 10, `${items} items in ${span} ms at rate 100`);
        c.close();
      } finally {
        await rated.close();
      }
    });
  });

  describe('TD payloads', () => {
    let sim: SimHandle;
    before(async () => (sim = await startSimulator({ rate: 600, barMs: 200 })));
    after(() => sim.close());

    test('every trade is one time-and-sales item with seq; level one reports only traded prices', async () => {
      const { c, req } = await tdStream(await tdSession(sim, 'tape-user'), '0');
      c.send(req('TIMESALE_EQUITY', 'SUBS', { keys: 'AAPL', fields: '0,1,2,3,4' }), req('QUOTE', 'SUBS', { keys: 'AAPL', fields: '0,3' }));
      const trades = await c.itemsUntil('TIMESALE_EQUITY', 6, () => true, 8000);
      trades.forEach((t, i) => {
        assert.equal(t.seq, i);
        assert.deepEqual(numbered(t).sort(), ['1', '2', '3', '4']);
        if (i > 0) assert.equal(t['4'], (trades[i - 1]!['4'] as number) + 1, 'trade sequence numbers are consecutive');
      });
      const lasts = c.items('QUOTE').slice(1).map((q) => q['3']).filter((p) => p !== undefined);
      assert.ok(lasts.length > 0);
      const seenPrices = new Set(c.items('TIMESALE_EQUITY').map((t) => t['2']));
      for (const p of lasts) assert.ok(seenPrices.has(p), `last price ${String(p)} came from a trade`);
      c.close();
    });

    test('TD charts: 1-5 OHLCV, 6 sequence, 7 time, 8 day', async () => {
      const { c, req } = await tdStream(await tdSession(sim, 'td-chart-user'));
      c.send(req('CHART_EQUITY', 'SUBS', { keys: 'MSFT', fields: allFields(8) }));
      const [bar] = await c.itemsUntil('CHART_EQUITY', 1);
      assert.ok((bar!['1'] as number) > 100, 'field 1 is the open price');
      assert.ok(Number.isInteger(bar!['6']) && (bar!['6'] as number) < 17 * 60, 'field 6 is the sequence');
      assert.equal((bar!['7'] as number) % 200, 0);
      c.close();
    });

    test('forex placeholders as captured: 21-26 are "UNUSED" on TD', async () => {
      const { c, req } = await tdStream(await tdSession(sim, 'fx-user'));
      c.send(req('LEVELONE_FOREX', 'SUBS', { keys: 'EUR/GBP', fields: allFields(29) }));
      const [fx] = await c.itemsUntil('LEVELONE_FOREX', 1);
      for (const k of ['21', '22', '23', '24', '25', '26']) assert.equal(fx![k], 'UNUSED', k);
      assert.equal(fx!['14'], 'Euro/GBPound Spot');
      assert.equal(fx!['13'], 'T');
      c.close();
    });

    test('actives strings follow the reference grammar and round-trip through it', async () => {
      const { c, req } = await tdStream(await tdSession(sim, 'actives-user'));
      c.send(
        req('ACTIVES_NASDAQ', 'SUBS', { keys: 'NASDAQ-60', fields: '0,1' }),
        req('ACTIVES_NYSE', 'SUBS', { keys: 'NYSE-ALL', fields: '0,1' }),
        req('ACTIVES_OTCBB', 'SUBS', { keys: 'OTCBB-1800', fields: '0,1' }),
        req('ACTIVES_OPTIONS', 'SUBS', { keys: 'OPTS-DESC-ALL', fields: '0,1' }),
      );
      const keyOf: Record<string, [string, number]> = { ACTIVES_NASDAQ: ['NASDAQ-60', 60], ACTIVES_NYSE: ['NYSE-ALL', 0], ACTIVES_OTCBB: ['OTCBB-1800', 1800], ACTIVES_OPTIONS: ['OPTS-DESC-ALL', 0] };
      for (const [service, [key, duration]] of Object.entries(keyOf)) {
        const [item] = await c.itemsUntil(service, 1);
        assert.equal(item!.key, key);
        const text = String(item!['1']);
        const parsed = parseActives(text, service === 'ACTIVES_OPTIONS');
        assert.equal(parsed.duration, duration, service);
        assert.equal(parsed.groups.length, 2);
        assert.deepEqual(parsed.groups.map((g) => g.id), [0, 1]);
        for (const g of parsed.groups) {
          assert.ok(g.entries.length > 0 && g.entries.length <= 10);
          for (const e of g.entries) assert.ok(Math.abs(e.percent - Math.round((10000 * e.volume) / g.total) / 100) < 0.011, `${e.symbol} ${e.percent}%`);
          for (let i = 1; i < g.entries.length; i++) assert.ok(g.entries[i - 1]!.volume >= g.entries[i]!.volume);
        }
        if (service === 'ACTIVES_OPTIONS') for (const e of parsed.groups[0]!.entries) assert.match(e.symbol, /^[A-Z]+_\d{6}[CP][\d.]+$/);
        assert.equal(serializeActives(parsed), text, 'round trip');
      }
      c.close();
    });
  });
});

interface ActivesEntry {
  symbol: string;
  description?: string;
  volume: number;
  percent: number;
  percentText: string;
}
interface Parsed {
  id: string;
  duration: number;
  start: string;
  display: string;
  groups: { id: number; total: number; entries: ActivesEntry[] }[];
}

/** docs/protocol/tdameritrade.md §5.11: `ID;duration;start;display;numGroups;` then `gid:n:total:` and n entries per group. */
function parseActives(text: string, options: boolean): Parsed {
  const tokens = text.split(';');
  const [id, duration, start, display, numGroups] = tokens;
  assert.match(id!, /^\d+$/);
  assert.match(start!, /^\d{1,2}:\d\d:\d\d$/);
  assert.match(display!, /^\d\d:\d\d:\d\d$/);
  const groups = tokens.slice(5).filter((t) => t !== '').map((g) => {
    const parts = g.split(':');
    const [gid, n, total] = parts.slice(0, 3).map(Number);
    const width = options ? 4 : 3;
    const body = parts.slice(3);
    assert.equal(body.length, n! * width, `group ${gid} has ${n} entries of ${width}`);
    const entries: ActivesEntry[] = [];
    for (let i = 0; i < n!; i++) {
      const e = body.slice(i * width, (i + 1) * width);
      entries.push(options
        ? { symbol: e[0]!, description: e[1]!, volume: Number(e[2]), percent: Number(e[3]), percentText: e[3]! }
        : { symbol: e[0]!, volume: Number(e[1]), percent: Number(e[2]), percentText: e[2]! });
    }
    return { id: gid!, total: total!, entries };
  });
  assert.equal(groups.length, Number(numGroups));
  return { id: id!, duration: Number(duration), start: start!, display: display!, groups };
}

function serializeActives(p: Parsed): string {
  const groups = p.groups.map((g) =>
    [g.id, g.entries.length, g.total, ...g.entries.flatMap((e) => (e.description !== undefined ? [e.symbol, e.description, e.volume, e.percentText] : [e.symbol, e.volume, e.percentText]))].join(':'),
  );
  return [p.id, p.duration, p.start, p.display, p.groups.length, ...groups].join(';');
}

