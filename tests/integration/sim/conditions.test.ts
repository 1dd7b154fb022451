/**
 * The simulator's conditions (`sim --delayed`, `--halted`, `--market`) over raw sockets and HTTP:
 * where each dialect carries the delayed flag (docs/protocol/schwab.md §4.4: first item only;
 * docs/protocol/tdameritrade.md §4.4: every item), SECURITY_STATUS "Halted" with prices standing
 * still, the REST quotes saying the same, and market hours forced open or closed at any hour.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startSimulator } from '../../../electron/node/sim/index.js';
import { getJson, schwabSession, schwabStream, tdSession, tdStream, type Obj } from './sim-client.js';

const byKey = (items: Obj[], key: string) => items.filter((i) => i.key === key);

test('Schwab: a delayed symbol’s first item says delayed, a halted one says Halted and then stands still', async (t) => {
  const sim = await startSimulator({ rate: 400, delayed: ['MSFT'], halted: ['TSLA'] });
  t.after(() => sim.close());
  const { c, req } = await schwabStream(await schwabSession(sim));
  // 32 is SECURITY_STATUS (docs/protocol/schwab.md §5.1).
  const subs = req('LEVELONE_EQUITIES', 'SUBS', { keys: 'MSFT,AAPL,TSLA', fields: '0,1,2,3,32' });
  c.send(subs);
  // Enough later items for the live symbols that a halted one would have moved too.
  const items = await c.itemsUntil('LEVELONE_EQUITIES', 20, (i) => i.key === 'AAPL' || i.key === 'MSFT');
  const first = (key: string) => byKey(c.items('LEVELONE_EQUITIES'), key)[0]!;
  assert.equal(first('MSFT').delayed, true);
  assert.equal(first('AAPL').delayed, false);
  assert.equal(first('TSLA').delayed, false);
  assert.equal(first('TSLA')['32'], 'Halted');
  assert.equal(first('AAPL')['32'], 'Normal');
  assert.ok(byKey(items, 'MSFT').slice(1).every((i) => !('delayed' in i)), 'Schwab sends delayed on the first item only');
  assert.equal(byKey(c.items('LEVELONE_EQUITIES'), 'TSLA').length, 1, 'a halted symbol sends nothing after its first item');
  c.close();
});

test('TD: every item of a delayed symbol says so; a halted one says Halted', async (t) => {
  const sim = await startSimulator({ rate: 400, delayed: ['MSFT'], halted: ['TSLA'] });
  t.after(() => sim.close());
  const { c, req } = await tdStream(await tdSession(sim), '0');
  // 48 is SECURITY_STATUS in TD's QUOTE (docs/protocol/tdameritrade.md §5.1).
  const subs = req('QUOTE', 'SUBS', { keys: 'MSFT,AAPL,TSLA', fields: '0,1,2,3,48' });
  c.send(subs);
  const items = await c.itemsUntil('QUOTE', 4, (i) => i.key === 'MSFT');
  assert.ok(items.every((i) => i.delayed === true), 'delayed on every MSFT item');
  assert.ok(byKey(c.items('QUOTE'), 'AAPL').every((i) => i.delayed === false));
  assert.equal(byKey(c.items('QUOTE'), 'TSLA')[0]!['48'], 'Halted');
  c.close();
});

test('REST quotes agree: Schwab realtime false and TD delayed true for a delayed symbol, securityStatus Halted for a halted one', async (t) => {
  const sim = await startSimulator({ delayed: ['MSFT'], halted: ['TSLA'] });
  t.after(() => sim.close());
  const schwab = await schwabSession(sim);
  const s = (await getJson<Record<string, { realtime: boolean; quote: { securityStatus: string; lastPrice: number } }>>(sim, '/marketdata/v1/quotes?symbols=MSFT,AAPL,TSLA', schwab.accessToken)).body;
  assert.deepEqual([s.MSFT!.realtime, s.AAPL!.realtime, s.TSLA!.realtime], [false, true, true]);
  assert.deepEqual([s.MSFT!.quote.securityStatus, s.TSLA!.quote.securityStatus], ['Normal', 'Halted']);
  const td = await tdSession(sim);
  const q = (await getJson<Record<string, { delayed: boolean; securityStatus: string }>>(sim, '/v1/marketdata/quotes?symbol=MSFT,AAPL,TSLA', td.accessToken)).body;
  assert.deepEqual([q.MSFT!.delayed, q.AAPL!.delayed, q.TSLA!.delayed], [true, false, false]);
  assert.deepEqual([q.AAPL!.securityStatus, q.TSLA!.securityStatus], ['Normal', 'Halted']);
});

test('market hours forced closed answer closed today; forced open, today and a Saturday are open all day', async (t) => {
  const closed = await startSimulator({ market: 'closed' });
  const open = await startSimulator({ market: 'open' });
  t.after(() => Promise.all([closed.close(), open.close()]));
  const c = (await getJson<Obj>(closed, '/marketdata/v1/markets/equity', (await schwabSession(closed)).accessToken)).body;
  assert.equal(((c.equity as Obj).equity as Obj).isOpen, false);
  const tdClosed = (await getJson<Obj>(closed, '/v1/marketdata/EQUITY/hours', (await tdSession(closed)).accessToken)).body;
  assert.equal(((tdClosed.equity as Obj).equity as Obj).isOpen, false);

  const token = (await schwabSession(open)).accessToken;
  const now = Date.now();
  let saturday = now + 86_400_000;
  while (new Date(saturday).getUTCDay() !== 6) saturday += 86_400_000;
  for (const date of ['', `?date=${new Date(saturday).toISOString().slice(0, 10)}`]) {
    const eq = ((await getJson<Obj>(open, `/marketdata/v1/markets/equity${date}`, token)).body.equity as Obj).EQ as Obj;
    assert.equal(eq.isOpen, true, `open on ${date || 'today'}`);
    const regular = (eq.sessionHours as Record<string, { start: string; end: string }[]>).regularMarket![0]!;
    assert.match(regular.start, /T00:00:00-0[45]:00$/);
    assert.match(regular.end, /T00:00:00-0[45]:00$/);
    if (date === '') assert.ok(Date.parse(regular.start) <= now && now < Date.parse(regular.end), 'now is in the regular session');
  }
});
