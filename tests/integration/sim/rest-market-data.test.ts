/**
 * The simulator's REST market data over raw HTTP (node:http, not our client), against the shapes and
 * parameters of docs/protocol/schwab.md §11 and docs/protocol/tdameritrade.md §11: authorisation,
 * quotes, price history (parameters, consistency with the live quote, same seed → same history),
 * market hours, movers and option chains (priced like the streamed contract).
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { startSimulator, type SimHandle } from '../../../electron/node/sim/index.js';
import { getJson, schwabSession, schwabStream, tdSession, type Obj, type SchwabSession, type TdSession } from './sim-client.js';
import type { Candle } from '../../../electron/node/sim/price-history.js';

interface History {
  candles: Candle[];
  symbol: string;
  empty: boolean;
  previousClose?: number;
  previousCloseDate?: number;
}
type SchwabError = { errors: { status: string; title: string; detail: string; source?: { parameter: string } }[] };

const DAY = 86_400_000;
/** New York wall-clock minutes of the day for an epoch ms (EST or EDT by Intl). */
function nyMinutes(ms: number): number {
  const parts = new Intl.DateTimeFormat('en-US', { timeZone: 'America/New_York', hourCycle: 'h23', hour: 'numeric', minute: 'numeric' }).formatToParts(new Date(ms));
  const get = (t: string) => Number(parts.find((p) => p.type === t)!.value);
  return get('hour') * 60 + get('minute');
}
function nyDate(ms: number): string {
  return new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date(ms));
}
/** The next Monday to Friday date (yyyy-MM-dd) at least `days` ahead, and the next Saturday. */
function futureDates(): { weekday: string; saturday: string } {
  const now = Date.now();
  let t = now + 2 * DAY;
  while ([0, 6].includes(new Date(t).getUTCDay())) t += DAY;
  let s = now + DAY;
  while (new Date(s).getUTCDay() !== 6) s += DAY;
  return { weekday: new Date(t).toISOString().slice(0, 10), saturday: new Date(s).toISOString().slice(0, 10) };
}

describe('simulator REST market data', () => {
  let sim: SimHandle;
  let schwab: SchwabSession;
  let td: TdSession;
  before(async () => {
    sim = await startSimulator({ seed: 11, rate: 300 });
    schwab = await schwabSession(sim, 'rest-user');
    td = await tdSession(sim, 'rest-user');
  });
  after(() => sim.close());
  const sget = <T = Obj>(path: string) => getJson<T>(sim, path, schwab.accessToken);
  const tget = <T = Obj>(path: string) => getJson<T>(sim, path, td.accessToken);

  test('every endpoint needs the dialect’s Bearer access token: 401 without one, with a bad one, or with the other dialect’s', async () => {
    const paths = [
      ['/marketdata/v1/quotes?symbols=AAPL', 'schwab'], ['/marketdata/v1/AAPL/quotes', 'schwab'], ['/marketdata/v1/pricehistory?symbol=AAPL', 'schwab'],
      ['/marketdata/v1/markets?markets=equity', 'schwab'], ['/marketdata/v1/markets/equity', 'schwab'], ['/marketdata/v1/movers/$DJI', 'schwab'],
      ['/marketdata/v1/chains?symbol=AAPL', 'schwab'], ['/v1/marketdata/quotes?symbol=AAPL', 'td'], ['/v1/marketdata/AAPL/quotes', 'td'],
      ['/v1/marketdata/AAPL/pricehistory', 'td'], ['/v1/marketdata/EQUITY/hours', 'td'], ['/v1/marketdata/hours?markets=EQUITY', 'td'],
      ['/v1/marketdata/$COMPX/movers', 'td'], ['/v1/marketdata/chains?symbol=AAPL', 'td'],
    ] as const;
    for (const [path, dialect] of paths) {
      for (const token of ['', 'not-a-token', dialect === 'schwab' ? td.accessToken : schwab.accessToken]) {
        const r = await getJson(sim, path, token);
        assert.equal(r.status, 401, `${path} with ${token ? 'a wrong token' : 'no token'}`);
        if (dialect === 'schwab') assert.equal((r.body as unknown as SchwabError).errors[0]!.status, '401');
        else assert.equal(typeof r.body.error, 'string');
      }
      const ok = await getJson(sim, path, dialect === 'schwab' ? schwab.accessToken : td.accessToken);
      assert.equal(ok.status, 200, path);
    }
  });

  test('Schwab quotes: one entry per symbol with the documented blocks, chosen by fields; unknown symbols under errors', async () => {
    const { status, body } = await sget('/marketdata/v1/quotes?symbols=AAPL,$SPX,/ES,EUR/USD,NOTASYMBOL1,AAPL%20%20271217C00230000&indicative=false');
    assert.equal(status, 200);
    const aapl = body.AAPL as Obj;
    assert.deepEqual([aapl.assetMainType, aapl.symbol, aapl.realtime], ['EQUITY', 'AAPL', true]);
    for (const block of ['quote', 'reference', 'fundamental', 'extended', 'regular']) assert.equal(typeof aapl[block], 'object', block);
    const q = aapl.quote as Record<string, number>;
    for (const k of ['bidPrice', 'askPrice', 'lastPrice', 'openPrice', 'highPrice', 'lowPrice', 'closePrice', 'totalVolume', 'netChange', 'netPercentChange', 'bidSize', 'askSize', 'quoteTime', 'tradeTime', '52WeekHigh', '52WeekLow']) {
      assert.equal(typeof q[k], 'number', k);
    }
    assert.ok(q.bidPrice! < q.askPrice! && q.askPrice! - q.bidPrice! <= 0.05 + 1e-9, `spread ${q.bidPrice}/${q.askPrice}`);
    assert.equal(q.bidSize! % 100, 0, 'round lots');
    assert.ok(Math.abs(q.netChange! - (q.lastPrice! - q.closePrice!)) < 1e-6);
    assert.ok(q['52WeekHigh']! >= q.highPrice! && q['52WeekLow']! <= q.lowPrice!);
    assert.equal((aapl.reference as Obj).cusip, '037833100');
    assert.equal((body.$SPX as Obj).assetMainType, 'INDEX');
    assert.equal(((body['/ES'] as Obj).reference as Obj).futureActiveSymbol !== undefined, true);
    assert.equal((body['EUR/USD'] as Obj).assetMainType, 'FOREX');
    const opt = body['AAPL  271217C00230000'] as Obj;
    assert.equal(opt.assetMainType, 'OPTION');
    assert.deepEqual([(opt.reference as Obj).strikePrice, (opt.reference as Obj).contractType], [230, 'C']);
    assert.deepEqual(body.errors, { invalidSymbols: ['NOTASYMBOL1'] });

    const only = await sget('/marketdata/v1/quotes?symbols=MSFT&fields=quote&fields=reference');
    assert.deepEqual(Object.keys(only.body.MSFT as Obj).filter((k) => typeof (only.body.MSFT as Obj)[k] === 'object').sort(), ['quote', 'reference'], 'fields repeated, as httpx sends a list');
    const comma = await sget('/marketdata/v1/quotes?symbols=MSFT&fields=quote,fundamental');
    assert.ok((comma.body.MSFT as Obj).fundamental && !(comma.body.MSFT as Obj).reference);
    const single = await sget('/marketdata/v1/%2FES/quotes?fields=quote');
    assert.deepEqual(Object.keys(single.body), ['/ES']);
    const bad = await sget<SchwabError>('/marketdata/v1/quotes?symbols=MSFT&fields=nonsense');
    assert.equal(bad.status, 400);
    assert.equal(bad.body.errors[0]!.source!.parameter, 'fields');
    assert.equal((await sget('/marketdata/v1/quotes')).status, 400, 'symbols is required');
  });

  test('TD quotes: one flat object per symbol in TD’s own names; unknown symbols are left out', async () => {
    const { status, body } = await tget('/v1/marketdata/quotes?symbol=AAPL,/ES,EUR/USD,$SPX.X,NOTASYMBOL1');
    assert.equal(status, 200);
    assert.deepEqual(Object.keys(body).sort(), ['$SPX.X', '/ES', 'AAPL', 'EUR/USD']);
    const a = body.AAPL as Record<string, unknown>;
    for (const k of ['bidPrice', 'askPrice', 'lastPrice', 'openPrice', 'highPrice', 'lowPrice', 'closePrice', 'netChange', 'totalVolume', 'quoteTimeInLong', 'tradeTimeInLong', '52WkHigh', '52WkLow']) assert.equal(typeof a[k], 'number', k);
    assert.deepEqual([a.assetType, a.symbol, a.exchangeName, a.delayed], ['EQUITY', 'AAPL', 'NASD', false]);
    assert.equal(typeof (body['/ES'] as Obj).lastPriceInDouble, 'number');
    assert.equal(typeof (body['EUR/USD'] as Obj).bidPriceInDouble, 'number');
    assert.equal((body['$SPX.X'] as Obj).assetType, 'INDEX');
    const one = await tget('/v1/marketdata/MSFT/quotes');
    assert.deepEqual(Object.keys(one.body), ['MSFT']);
  });

  test('price history agrees with the live quote: the day in progress is the quote, the day before closes at its close', async () => {
    const sym = 'IBM';
    const quote = ((await sget(`/marketdata/v1/quotes?symbols=${sym}&fields=quote`)).body[sym] as Obj).quote as Record<string, number>;
    const daily = (await sget<History>(`/marketdata/v1/pricehistory?symbol=${sym}&periodType=month&period=1&frequencyType=daily&needPreviousClose=true`)).body;
    assert.equal(daily.symbol, sym);
    assert.equal(daily.empty, false);
    const today = daily.candles[daily.candles.length - 1]!;
    const yesterday = daily.candles[daily.candles.length - 2]!;
    // Between the two requests nothing streams IBM and under 2 s pass: the instrument has not traded.
    assert.deepEqual([today.open, today.high, today.low, today.close], [quote.openPrice, Math.max(quote.highPrice!, quote.lastPrice!), Math.min(quote.lowPrice!, quote.lastPrice!), quote.lastPrice]);
    assert.equal(yesterday.close, quote.closePrice, 'the previous day closes at the quote’s close');
    assert.equal(daily.previousClose, quote.closePrice);
    assert.equal(typeof daily.previousCloseDate, 'number');
    const minutes = (await sget<History>(`/marketdata/v1/pricehistory?symbol=${sym}&periodType=day&period=2&frequencyType=minute&frequency=5`)).body;
    const last = minutes.candles[minutes.candles.length - 1]!;
    assert.equal(last.close, quote.lastPrice, 'the candle in progress ends at the last trade');
    for (let i = 1; i < minutes.candles.length; i++) {
      const c = minutes.candles[i]!;
      assert.equal(c.datetime % 300_000, 0);
      assert.ok(c.datetime > minutes.candles[i - 1]!.datetime);
      assert.ok(c.high >= Math.max(c.open, c.close) && c.low <= Math.min(c.open, c.close), JSON.stringify(c));
      assert.ok(c.volume >= 0);
    }
    for (const c of daily.candles) assert.ok([0, 1, 2, 3, 4, 5].includes(new Date(c.datetime).getUTCDay()) && nyMinutes(c.datetime) === 60, 'daily candles at midnight Central');
  });

  test('price history parameters: period types, frequencies, start and end dates, extended hours, and 400s that name the parameter', async () => {
    const h = async (q: string) => (await sget<History>(`/marketdata/v1/pricehistory?symbol=MSFT&${q}`)).body;
    const regular = await h('periodType=day&period=3&frequencyType=minute&frequency=1&needExtendedHoursData=false');
    const live = regular.candles[regular.candles.length - 1]!.datetime;
    const outside = regular.candles.filter((c) => c.datetime !== live && (nyMinutes(c.datetime) < 9 * 60 + 30 || nyMinutes(c.datetime) >= 16 * 60));
    assert.deepEqual(outside, [], 'regular hours only');
    assert.equal(new Set(regular.candles.map((c) => nyDate(c.datetime))).size <= 4, true);
    const extended = await h('periodType=day&period=3&frequencyType=minute&frequency=1&needExtendedHoursData=true');
    assert.ok(extended.candles.length > regular.candles.length);
    // Each answer ends with the minute in progress, which may have moved on between the two calls.
    const extendedLive = extended.candles[extended.candles.length - 1]!.datetime;
    assert.ok(extended.candles.every((c) => c.datetime === extendedLive || (nyMinutes(c.datetime) >= 7 * 60 && nyMinutes(c.datetime) < 20 * 60)), '07:00-20:00 ET with extended hours');

    const end = Date.now() - 40 * DAY;
    const start = end - 20 * DAY;
    const window = await h(`periodType=month&frequencyType=daily&startDate=${start}&endDate=${end}`);
    assert.ok(window.candles.length >= 12 && window.candles.length <= 16, String(window.candles.length));
    for (const c of window.candles) assert.ok(c.datetime >= start - DAY && c.datetime <= end, 'inside startDate..endDate');
    const weekly = await h('periodType=year&period=1&frequencyType=weekly');
    assert.ok(weekly.candles.length >= 50 && weekly.candles.length <= 54, String(weekly.candles.length));
    const monthly = await h('periodType=year&period=2&frequencyType=monthly');
    assert.ok(monthly.candles.length >= 24 && monthly.candles.length <= 26, String(monthly.candles.length));
    const ytd = await h('periodType=ytd&frequencyType=daily');
    assert.ok(ytd.candles.every((c) => new Date(c.datetime).getUTCFullYear() === new Date().getUTCFullYear()));

    for (const [q, parameter] of [['periodType=week', 'periodType'], ['periodType=day&frequencyType=daily', 'frequencyType'], ['periodType=day&period=7', 'period'], ['frequencyType=minute&frequency=3', 'frequency'], ['startDate=20&endDate=10', 'startDate']] as const) {
      const r = await sget<SchwabError>(`/marketdata/v1/pricehistory?symbol=MSFT&${q}`);
      assert.equal(r.status, 400, q);
      assert.equal(r.body.errors[0]!.source!.parameter, parameter, q);
    }
    const unknown = await h('periodType=day');
    assert.equal(unknown.symbol, 'MSFT');
    const none = (await sget<History>('/marketdata/v1/pricehistory?symbol=NOTASYMBOL1')).body;
    assert.deepEqual(none, { candles: [], symbol: 'NOTASYMBOL1', empty: true });
    const tdHistory = await tget<History>('/v1/marketdata/MSFT/pricehistory?periodType=day&period=1&frequencyType=minute&frequency=30');
    assert.equal(tdHistory.status, 200);
    assert.equal(tdHistory.body.previousClose, undefined, 'TD has no previous close');
    assert.equal((await tget('/v1/marketdata/MSFT/pricehistory?periodType=decade')).body.error !== undefined, true);
  });

  test('market hours: pre, regular and post sessions per market and product for a date; a weekend is closed', async () => {
    const { weekday, saturday } = futureDates();
    const { status, body } = await sget(`/marketdata/v1/markets?markets=equity,option,future,forex,bond&date=${weekday}`);
    assert.equal(status, 200);
    const eq = (body.equity as Obj).EQ as Obj;
    assert.deepEqual([eq.date, eq.marketType, eq.product, eq.isOpen], [weekday, 'EQUITY', 'EQ', true]);
    const hours = eq.sessionHours as Record<string, { start: string; end: string }[]>;
    const hm = (s: string) => s.slice(11, 16);
    assert.deepEqual([hours.preMarket![0]!, hours.regularMarket![0]!, hours.postMarket![0]!].map((w) => `${hm(w.start)}-${hm(w.end)}`), ['07:00-09:30', '09:30-16:00', '16:00-20:00']);
    assert.match(hours.regularMarket![0]!.start, new RegExp(`^${weekday}T09:30:00-0[45]:00$`));
    assert.deepEqual(Object.keys(body.option as Obj).sort(), ['EQO', 'IND']);
    assert.ok(body.future && body.forex && body.bond);
    const closed = await sget(`/marketdata/v1/markets/equity?date=${saturday}`);
    assert.deepEqual((closed.body.equity as Obj).equity, { date: saturday, marketType: 'EQUITY', product: 'equity', isOpen: false });
    assert.equal((await sget('/marketdata/v1/markets?markets=stocks')).status, 400);
    assert.equal((await sget('/marketdata/v1/markets?markets=equity&date=2001-01-01')).status, 400);

    const tdOne = await tget(`/v1/marketdata/EQUITY/hours?date=${weekday}`);
    assert.deepEqual(Object.keys(tdOne.body), ['equity']);
    assert.equal(((tdOne.body.equity as Obj).EQ as Obj).exchange, 'NULL');
    const tdMany = await tget(`/v1/marketdata/hours?markets=EQUITY,OPTION&date=${weekday}`);
    assert.deepEqual(Object.keys(tdMany.body).sort(), ['equity', 'option']);
  });

  test('movers: Schwab’s ten screeners sorted as asked; TD’s ten biggest movers one way', async () => {
    const { body } = await sget<{ screeners: Obj[] }>('/marketdata/v1/movers/NASDAQ?sort=VOLUME&frequency=5');
    assert.equal(body.screeners.length, 10);
    for (const s of body.screeners) assert.deepEqual(Object.keys(s).sort(), ['description', 'lastPrice', 'marketShare', 'netChange', 'netPercentChange', 'symbol', 'totalVolume', 'trades', 'volume']);
    for (let i = 1; i < 10; i++) assert.ok((body.screeners[i - 1]!.volume as number) >= (body.screeners[i]!.volume as number));
    const down = await sget<{ screeners: Obj[] }>('/marketdata/v1/movers/%24SPX?sort=PERCENT_CHANGE_DOWN');
    for (let i = 1; i < down.body.screeners.length; i++) assert.ok((down.body.screeners[i - 1]!.netPercentChange as number) <= (down.body.screeners[i]!.netPercentChange as number));
    assert.equal((await sget('/marketdata/v1/movers/NOPE')).status, 400);
    const up = await tget<Obj[]>('/v1/marketdata/$COMPX/movers?direction=up&change=percent');
    assert.ok(up.body.length > 0 && up.body.length <= 10);
    for (const m of up.body) {
      assert.deepEqual(Object.keys(m).sort(), ['change', 'description', 'direction', 'last', 'symbol', 'totalVolume']);
      assert.ok((m.change as number) > 0 && m.direction === 'up');
    }
    for (let i = 1; i < up.body.length; i++) assert.ok((up.body[i - 1]!.change as number) >= (up.body[i]!.change as number));
  });

  test('option chains: call and put maps by expiry and strike, priced as LEVELONE_OPTIONS streams the same contract', async () => {
    const { body } = await sget('/marketdata/v1/chains?symbol=AAPL&contractType=ALL&strikeCount=4&includeUnderlyingQuote=true');
    assert.equal(body.status, 'SUCCESS');
    assert.equal((body.underlying as Obj).symbol, 'AAPL');
    const calls = body.callExpDateMap as Record<string, Record<string, Obj[]>>;
    const puts = body.putExpDateMap as Record<string, Record<string, Obj[]>>;
    assert.ok(Object.keys(calls).length >= 4);
    let count = 0;
    for (const [side, map] of [['CALL', calls], ['PUT', puts]] as const) {
      for (const [expiry, strikes] of Object.entries(map)) {
        assert.match(expiry, /^\d{4}-\d\d-\d\d:\d+$/);
        assert.equal(Object.keys(strikes).length, 4, 'strikeCount strikes around the money');
        for (const [strike, [c]] of Object.entries(strikes)) {
          count++;
          assert.match(strike, /^\d+\.\d+$/);
          assert.equal(c!.putCall, side);
          assert.equal(c!.strikePrice, Number(strike));
          assert.match(String(c!.symbol), new RegExp(`^AAPL  ${expiry.slice(2, 4)}${expiry.slice(5, 7)}${expiry.slice(8, 10)}${side[0]}\\d{8}$`));
          assert.ok((c!.bid as number) <= (c!.ask as number));
          assert.ok(side === 'CALL' ? (c!.delta as number) > 0 : (c!.delta as number) < 0);
        }
      }
    }
    assert.equal(body.numberOfContracts, count);
    // The same contract streamed: its first item is the chain's quote.
    const [expiry, strikes] = Object.entries(calls)[0]!;
    const contract = Object.values(strikes)[0]![0]!;
    const { c, req } = await schwabStream(schwab);
    c.send(req('LEVELONE_OPTIONS', 'SUBS', { keys: contract.symbol, fields: '0,2,3,20,28' }));
    const [first] = await c.itemsUntil('LEVELONE_OPTIONS', 1);
    assert.deepEqual([first!['2'], first!['3'], first!['20']], [contract.bid, contract.ask, contract.strikePrice], `${expiry} ${String(contract.symbol)}`);
    c.close();

    const callsOnly = await sget('/marketdata/v1/chains?symbol=MSFT&contractType=CALL&range=OTM&strikeCount=3');
    assert.deepEqual(callsOnly.body.putExpDateMap, {});
    const spot = callsOnly.body.underlyingPrice as number;
    for (const strikes2 of Object.values(callsOnly.body.callExpDateMap as Record<string, Record<string, Obj[]>>)) for (const k of Object.keys(strikes2)) assert.ok(Number(k) >= spot, 'out-of-the-money calls');
    const failed = await sget('/marketdata/v1/chains?symbol=NOTASYMBOL1');
    assert.equal(failed.body.status, 'FAILED');
    assert.equal((await sget('/marketdata/v1/chains')).status, 400);

    const tdChain = await tget('/v1/marketdata/chains?symbol=MSFT&contractType=PUT&strikeCount=2&includeQuotes=TRUE');
    const tdPuts = Object.values(tdChain.body.putExpDateMap as Record<string, Record<string, Obj[]>>)[0]!;
    const tdContract = Object.values(tdPuts)[0]![0]!;
    assert.match(String(tdContract.symbol), /^MSFT_\d{6}P\d+(\.\d+)?$/);
    assert.equal(typeof tdContract.expirationDate, 'number');
    assert.equal((tdChain.body.underlying as Obj).symbol, 'MSFT');
  });
});

describe('simulator REST market data: the same seed gives the same history', () => {
  test('two simulators with one seed agree on past candles; another seed does not', async () => {
    const end = Date.now() - 10 * DAY;
    const path = `/marketdata/v1/pricehistory?symbol=AAPL&periodType=month&frequencyType=daily&startDate=${end - 60 * DAY}&endDate=${end}`;
    const history = async (seed: number) => {
      const sim = await startSimulator({ seed });
      try {
        const s = await schwabSession(sim);
        return (await getJson<History>(sim, path, s.accessToken)).body.candles;
      } finally {
        await sim.close();
      }
    };
    const [a, b, other] = [await history(21), await history(21), await history(22)];
    assert.ok(a.length > 30);
    assert.deepEqual(a, b);
    assert.notDeepEqual(a.map((c) => c.close), other.map((c) => c.close));
  });
});
