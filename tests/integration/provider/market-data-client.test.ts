/**
 * The REST market-data client of both dialects against the simulator over real HTTP: quotes mapped
 * onto the streamer's field names, price history with each interval's parameters, market hours
 * turned into the session at any moment, the rate limiter queueing (not failing) the call past the
 * budget, 429 Retry-After honoured, and failures told in one line.
 */
import assert from 'node:assert/strict';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { after, before, describe, test } from 'node:test';
import type { Dialect } from '../../../shared/protocol/services.js';
import { sessionAt } from '../../../shared/market-session.js';
import { HISTORY_PARAMS, RestMarketDataClient } from '../../../electron/node/provider/market-data-client.js';
import { RateLimiter } from '../../../electron/node/provider/rate-limiter.js';
import { ProviderError } from '../../../electron/node/provider/types.js';
import { startSimulator, type SimHandle } from '../../../electron/node/sim/index.js';
import { simTokens } from '../../helpers/engine-harness.js';
import { waitFor } from '../../helpers/wait.js';

const MINUTE = 60_000;
const DAY = 86_400_000;

function nyClock(ms: number): string {
  return new Intl.DateTimeFormat('en-GB', { timeZone: 'America/New_York', hour: '2-digit', minute: '2-digit', hourCycle: 'h23' }).format(new Date(ms));
}
const nyDate = (ms: number) => new Intl.DateTimeFormat('en-CA', { timeZone: 'America/New_York' }).format(new Date(ms));

/** A manual clock and timer list for the rate limiter: time moves only when the test says. */
function manualTime() {
  let now = 1_000_000;
  const timers: { at: number; fn: () => void }[] = [];
  return {
    now: () => now,
    setTimer: (fn: () => void, ms: number) => {
      const t = { at: now + ms, fn };
      timers.push(t);
      return () => void timers.splice(timers.indexOf(t), 1);
    },
    advance(ms: number) {
      now += ms;
      for (const t of timers.filter((x) => x.at <= now)) {
        timers.splice(timers.indexOf(t), 1);
        t.fn();
      }
    },
  };
}

for (const dialect of ['schwab', 'tdameritrade'] as Dialect[]) {
  describe(`REST market data client (${dialect})`, () => {
    let sim: SimHandle;
    let token: string;
    const client = (limiter?: RateLimiter) => new RestMarketDataClient({ dialect, apiBase: sim.url, accessToken: async () => token, limiter });
    before(async () => {
      sim = await startSimulator({ seed: 5, rate: 100 });
      token = (await simTokens(sim, dialect)).access_token;
    });
    after(() => sim.close());

    test('quotes fill the level-one fields the streamer fills', async () => {
      const quotes = await client().quotes(['AAPL', 'MSFT']);
      assert.deepEqual(quotes.map((q) => q.symbol).sort(), ['AAPL', 'MSFT']);
      const aapl = quotes.find((q) => q.symbol === 'AAPL')!;
      for (const f of ['bid_price', 'ask_price', 'last_price', 'bid_size', 'ask_size', 'total_volume', 'high_price', 'low_price', 'open_price', 'close_price', 'net_change', 'description']) {
        assert.ok(aapl.fields[f] !== undefined, `${f} is filled`);
      }
      const time = dialect === 'schwab' ? 'trade_time_millis' : 'trade_time_in_long';
      assert.equal(typeof aapl.fields[time], 'number');
      assert.equal(aapl.ts, Math.max(aapl.fields[time] as number, aapl.fields[dialect === 'schwab' ? 'quote_time_millis' : 'quote_time_in_long'] as number));
      assert.ok((aapl.fields.bid_price as number) <= (aapl.fields.ask_price as number));
    });

    test('price history: each interval asks for its frequency, and the candles are spaced by it', async () => {
      const c = client();
      for (const [interval, minutes] of [['1m', 1], ['5m', 5], ['15m', 15]] as const) {
        const candles = await c.priceHistory('AAPL', interval);
        assert.ok(candles.length > 10, `${interval}: ${candles.length} candles`);
        const gaps = candles.slice(1).map((b, i) => b.time - candles[i]!.time);
        // Sessions leave gaps between days; within a session every step is one interval.
        assert.equal(Math.min(...gaps), minutes * MINUTE, `${interval} spacing`);
        assert.ok(candles.every((b) => b.low <= Math.min(b.open, b.close) && b.high >= Math.max(b.open, b.close)));
      }
      const daily = await c.priceHistory('AAPL', '1d');
      assert.ok(daily.length > 200, `a year of daily candles: ${daily.length}`);
      assert.ok(Math.min(...daily.slice(1).map((b, i) => b.time - daily[i]!.time)) >= DAY - 3600_000);
      assert.equal(HISTORY_PARAMS['1d'].frequencyType, 'daily');
    });

    test('market hours give the session at any moment (injected clock)', async () => {
      const c = client();
      // The next weekday's hours: pre, regular and post windows in New York time.
      let t = Date.now() + DAY;
      let hours = await c.marketHours('equity', nyDate(t));
      for (let i = 0; i < 7 && !hours.isOpen; i++) hours = await c.marketHours('equity', nyDate((t += DAY)));
      assert.equal(hours.isOpen, true);
      const regular = hours.regular[0]!;
      assert.equal(nyClock(regular.start), '09:30');
      assert.equal(nyClock(regular.end), '16:00');
      assert.equal(sessionAt(hours, regular.start + MINUTE).session, 'regular');
      assert.equal(sessionAt(hours, regular.start + MINUTE).until, regular.end);
      assert.equal(sessionAt(hours, hours.pre[0]!.start + MINUTE).session, 'pre');
      assert.equal(sessionAt(hours, hours.post[0]!.start + MINUTE).session, 'post');
      assert.deepEqual(sessionAt(hours, hours.post[0]!.end + MINUTE), { session: 'closed', until: null });
      assert.deepEqual(sessionAt(hours, hours.pre[0]!.start - MINUTE), { session: 'closed', until: hours.pre[0]!.start });
      // A weekend day is closed all day.
      let s = Date.now() + DAY;
      while (![0, 6].includes(new Date(s).getUTCDay())) s += DAY;
      const weekend = await c.marketHours('equity', nyDate(s + 12 * 3600_000));
      assert.equal(weekend.isOpen, false);
      assert.equal(sessionAt(weekend, s + 15 * 3600_000).session, 'closed');
    });

    test('the rate limiter queues the call past the budget until a token is due, in order', async () => {
      const time = manualTime();
      const limiter = new RateLimiter({ limit: 120, now: time.now, setTimer: time.setTimer });
      const c = client(limiter);
      const done: number[] = [];
      const calls = Array.from({ length: 122 }, (_, i) => c.quotes(['AAPL']).then(() => done.push(i)));
      await waitFor('120 calls answered', () => done.length === 120, 30_000);
      assert.equal(limiter.waiting, 2, 'the 121st and 122nd wait instead of failing');
      assert.ok(!done.includes(120) && !done.includes(121));
      time.advance(MINUTE / 120); // one token
      await waitFor('the 121st call', () => done.length === 121);
      assert.equal(done.at(-1), 120, 'first come, first served');
      assert.equal(limiter.waiting, 1);
      time.advance(MINUTE / 120);
      await Promise.all(calls);
      assert.equal(done.at(-1), 121);
    });
  });
}

describe('REST failures and 429', () => {
  let server: Server;
  let base: string;
  const answers: { status: number; body: string; headers?: Record<string, string> }[] = [];
  let requests = 0;
  before(async () => {
    server = createServer((req, res) => {
      requests++;
      const a = answers.shift() ?? { status: 500, body: '' };
      res.writeHead(a.status, { 'Content-Type': 'application/json', ...a.headers });
      res.end(a.body);
    });
    await new Promise<void>((r) => server.listen(0, '127.0.0.1', r));
    base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
  });
  after(() => new Promise<void>((r) => server.close(() => r())));

  test('a 429 empties the bucket until Retry-After, then the call is sent again and succeeds', async () => {
    const time = manualTime();
    const limiter = new RateLimiter({ limit: 100, now: time.now, setTimer: time.setTimer });
    const c = new RestMarketDataClient({ dialect: 'schwab', apiBase: base, accessToken: async () => 'tok', limiter });
    requests = 0;
    answers.push({ status: 429, body: '{}', headers: { 'Retry-After': '30' } });
    answers.push({ status: 200, body: JSON.stringify({ AAPL: { symbol: 'AAPL', quote: { lastPrice: 101.5 } } }) });
    let result: Awaited<ReturnType<typeof c.quotes>> | null = null;
    const call = c.quotes(['AAPL']).then((q) => (result = q));
    await waitFor('the retry to wait for its token', () => requests === 1 && limiter.waiting === 1);
    time.advance(29_000);
    assert.equal(requests, 1, 'nothing is sent before Retry-After ends');
    time.advance(1_000 + MINUTE / 100);
    await call;
    assert.equal(requests, 2);
    assert.deepEqual(result![0]!.fields, { last_price: 101.5 });
  });

  test('401, 403, 404, 5xx and a malformed body each fail with one clear message naming what was asked', async () => {
    const c = new RestMarketDataClient({ dialect: 'tdameritrade', apiBase: base, accessToken: async () => 'secret-token-value' });
    const cases: [number, string, RegExp][] = [
      [401, '{}', /price history of AAPL: .*refused the access token \(401\)/],
      [403, '{}', /price history of AAPL: .*answered HTTP 403/],
      [404, '{}', /price history of AAPL: .*answered HTTP 404/],
      [503, '{}', /price history of AAPL: .*answered HTTP 503/],
      [200, 'not json', /price history of AAPL: .*did not return JSON/],
      [200, JSON.stringify({ candles: [{ open: 'x' }] }), /price history: unexpected answer at candles\.0\.open/],
    ];
    for (const [status, body, message] of cases) {
      answers.push({ status, body });
      const err = await c.priceHistory('AAPL', '5m').then(() => null, (e: Error) => e);
      assert.ok(err instanceof ProviderError, `${status} rejects with a ProviderError`);
      assert.match(err.message, message);
      assert.doesNotMatch(err.message, /secret-token-value/);
      assert.doesNotMatch(err.message, /\n/);
    }
  });
});
