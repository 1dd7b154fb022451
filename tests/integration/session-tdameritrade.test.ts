/** The legacy TD dialect end to end: principals, the url-encoded credential, QOS, QUOTE and futures. */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { count, query } from '../helpers/db.js';
import { startHarness, type Harness } from '../helpers/engine-harness.js';
import { waitFor } from '../helpers/wait.js';

describe('tdameritrade session against the simulator', () => {
  let h: Harness;
  before(async () => {
    h = await startHarness({
      dialect: 'tdameritrade',
      qosLevel: 0,
      subscriptions: [
        { service: 'QUOTE', keys: ['AAPL', 'MSFT', 'GOOG'] },
        { service: 'LEVELONE_FUTURES', keys: ['/ES'] },
        { service: 'ACTIVES_NASDAQ', keys: ['NASDAQ-60'] },
      ],
    });
  });
  after(async () => {
    await h.close();
    h.cleanup();
  });

  test('logs in with the credential, sets QOS and records quotes', async () => {
    await waitFor('streaming', () => h.engine.status().connection === 'streaming');
    const cmds = h.sim.stats().commands.map((c) => `${c.service} ${c.command}`);
    assert.ok(cmds.includes('ADMIN QOS'), cmds.join(','));
    await waitFor('QUOTE rows', () => count(h.dbPath, 'SELECT count(*) AS n FROM quote') > 10);
    await waitFor('futures rows', () => count(h.dbPath, "SELECT count(*) AS n FROM levelone_futures WHERE key = '/ES'") > 0);
    const msft = await waitFor('merged MSFT', () => h.engine.quotes.get('QUOTE', 'MSFT'));
    assert.equal(typeof msft.fields.last_price, 'number');
  });

  test('actives arrive whole and land in the child table', async () => {
    await waitFor('actives entries', () => count(h.dbPath, 'SELECT count(*) AS n FROM actives_nasdaq_entries') > 0);
    const rec = await waitFor('merged actives', () => h.engine.quotes.get('ACTIVES_NASDAQ', 'NASDAQ-60'));
    assert.ok((rec.actives?.groups.length ?? 0) >= 1);
  });

  test('reconnects after a drop and re-subscribes each service once', async () => {
    h.sim.trigger('drop');
    await waitFor('reconnected', () => h.engine.status().reconnects >= 1 && h.engine.status().connection === 'streaming');
    const subs = h.sim.stats().commands.filter((c) => c.command === 'SUBS' && c.service === 'QUOTE');
    const perConn = new Map<number, string[]>();
    for (const c of subs) perConn.set(c.connectionId, [...(perConn.get(c.connectionId) ?? []), c.keys.sort().join(',')]);
    assert.ok(perConn.size >= 2);
    for (const keys of perConn.values()) assert.deepEqual(keys, ['AAPL,GOOG,MSFT']);
    const rows = h.engine.status().rows;
    await waitFor('rows after reconnect', () => h.engine.status().rows > rows + 10);
    assert.ok(query(h.dbPath, 'SELECT id FROM sessions').length >= 2);
  });
});
