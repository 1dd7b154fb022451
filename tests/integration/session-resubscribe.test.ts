/**
 * A reconnect re-subscribes the subscription set as it is now, not as it was when the first
 * connection subscribed: keys added and services dropped while connected carry over.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { startHarness } from '../helpers/engine-harness.js';
import { waitFor } from '../helpers/wait.js';

test('after ADD and UNSUBS while connected, a reconnect subscribes exactly the current set, once', async (t) => {
  const h = await startHarness({
    dialect: 'schwab',
    subscriptions: [
      { service: 'LEVELONE_EQUITIES', keys: ['AAPL', 'MSFT'] },
      { service: 'LEVELONE_FUTURES', keys: ['/ES'] },
    ],
  });
  t.after(async () => {
    await h.close();
    h.cleanup();
  });
  await waitFor('streaming', () => h.engine.status().connection === 'streaming');
  const commands = () => h.sim.stats().commands;
  const first = commands().find((c) => c.command === 'SUBS')!.connectionId;

  h.engine.subscribe('LEVELONE_EQUITIES', ['GOOG']);
  h.engine.unsubscribe('LEVELONE_EQUITIES', ['MSFT']);
  h.engine.unsubscribe('LEVELONE_FUTURES', ['/ES']);
  h.engine.subscribe('LEVELONE_FOREX', ['EUR/USD']);
  // Every change reached the first connection before it is dropped.
  await waitFor('the changes on the first connection', () => commands().filter((c) => c.connectionId === first && c.command !== 'LOGIN').length >= 6);

  h.sim.trigger('drop');
  await waitFor('streaming again', () => h.engine.status().reconnects >= 1 && h.engine.status().connection === 'streaming');
  const second = await waitFor('a second connection', () => commands().find((c) => c.connectionId !== first && c.command === 'SUBS')?.connectionId);
  await waitFor('both services subscribed again', () => commands().filter((c) => c.connectionId === second && c.command === 'SUBS').length >= 2);
  const resubscribed = commands()
    .filter((c) => c.connectionId === second && c.service !== 'ADMIN')
    .map((c) => `${c.command} ${c.service} ${[...c.keys].sort().join(',')}`)
    .sort();
  assert.deepEqual(resubscribed, ['SUBS LEVELONE_EQUITIES AAPL,GOOG', 'SUBS LEVELONE_FOREX EUR/USD']);
});
