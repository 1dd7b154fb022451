/**
 * The simulator's named faults: the CLI grammar, trigger() on demand and `faults` scheduled per
 * connection after LOGIN (electron/node/sim/README.md "Faults").
 */
import assert from 'node:assert/strict';
import { after, before, describe, test } from 'node:test';
import { parseFault, startSimulator, type SimHandle } from '../../../electron/node/sim/index.js';
import { waitFor } from '../../helpers/wait.js';
import { RawClient, schwabSession, schwabStream, waitForAsync, type SchwabSession } from './sim-client.js';

describe('parseFault', () => {
  test('NAME, NAME:SECONDS and NAME:every=SECONDS', () => {
    assert.deepEqual(parseFault('drop'), { name: 'drop' });
    assert.deepEqual(parseFault('silence:5'), { name: 'silence', afterMs: 5000 });
    assert.deepEqual(parseFault('malformed:every=2.5'), { name: 'malformed', everyMs: 2500 });
    assert.deepEqual(parseFault('expire-token:0.05'), { name: 'expire-token', afterMs: 50 });
  });

  test('a bad name or time is one clear line', () => {
    for (const bad of ['explode', 'drop:', 'drop:-1', 'drop:soon', 'drop:every=', 'drop:every=0', 'drop:5:6', 'Drop']) {
      assert.throws(() => parseFault(bad), (err: Error) => !err.message.includes('\n') && err.message.includes(bad), bad);
    }
  });
});

describe('faults on demand', () => {
  let sim: SimHandle;
  let s: SchwabSession;
  before(async () => {
    sim = await startSimulator({ heartbeatMs: 50, rate: 200 });
    s = await schwabSession(sim);
  });
  after(() => sim.close());

  test('drop ends the socket without a close frame (1006)', async () => {
    const { c } = await schwabStream(s);
    sim.trigger('drop');
    assert.equal(await c.whenClosed(), 1006);
    await waitFor('the simulator to forget it', () => sim.stats().connections === 0);
  });

  test('silence stops everything, heartbeats included, until the socket closes', async () => {
    const { c, req } = await schwabStream(s);
    c.send(req('LEVELONE_EQUITIES', 'SUBS', { keys: 'AAPL', fields: '0,1,2,3' }));
    await c.itemsUntil('LEVELONE_EQUITIES', 3);
    const at = Date.now();
    sim.trigger('silence');
    const silentFrom = c.frames.length;
    // A connection opened afterwards is not silenced: its heartbeats show time passing.
    const other = await schwabSession(sim, 'other-user');
    const witness = await schwabStream(other);
    await waitFor('five witness heartbeats', () => witness.c.heartbeats() >= 5);
    const logout = req('ADMIN', 'LOGOUT');
    c.send(logout);
    await waitFor('more witness heartbeats', () => witness.c.heartbeats() >= 8);
    // Frames still in flight at the trigger may arrive after it (a busy machine reads late); none was made after it.
    const madeAt = (f: (typeof c.frames)[number]) => {
      const e = (f.json?.data ?? f.json?.response ?? f.json?.notify ?? [])[0];
      return Number(e?.timestamp ?? e?.heartbeat ?? 0);
    };
    assert.deepEqual(c.frames.slice(silentFrom).filter((f) => madeAt(f) > at + 5).map((f) => f.text.slice(0, 80)), [], 'nothing sent after the trigger');
    assert.equal(c.responses().some((r) => r.requestid === logout.requestid), false, 'not even a LOGOUT answer');
    assert.equal(c.closed, false);
    sim.clearFault('silence');
    witness.c.close();
    c.close();
  });

  test('malformed sends one frame with bare U+FFFD values: not JSON', async () => {
    const { c } = await schwabStream(s);
    sim.trigger('malformed');
    const bad = await waitFor('a malformed frame', () => c.frames.find((f) => f.json === undefined));
    assert.match(bad.text, /"1":\ufffd/);
    assert.match(bad.text, /"Symbol not found"/);
    assert.throws(() => JSON.parse(bad.text));
    assert.equal(c.closed, false);
    c.close();
  });

  test('second-login sends code 12 and closes', async () => {
    const { c } = await schwabStream(s);
    sim.trigger('second-login');
    await c.notice(12);
    await c.whenClosed();
  });
});

describe('faults scheduled by option', () => {
  test('drop:0.05 drops each connection 50 ms after its LOGIN', async () => {
    const sim = await startSimulator({ faults: [parseFault('drop:0.05')] });
    try {
      const s = await schwabSession(sim);
      for (let i = 0; i < 2; i++) {
        const { c } = await schwabStream(s);
        assert.equal(await c.whenClosed(), 1006);
      }
    } finally {
      await sim.close();
    }
  });

  test('malformed:every=0.05 repeats on the connection; clearFault stops it', async () => {
    const sim = await startSimulator({ faults: [parseFault('malformed:every=0.05')], heartbeatMs: 50 });
    try {
      const { c } = await schwabStream(await schwabSession(sim));
      await waitFor('three malformed frames', () => c.frames.filter((f) => f.json === undefined).length >= 3);
      sim.clearFault('malformed');
      const count = c.frames.filter((f) => f.json === undefined).length;
      const beats = c.heartbeats();
      await waitFor('five more heartbeats', () => c.heartbeats() >= beats + 5);
      assert.ok(c.frames.filter((f) => f.json === undefined).length <= count + 1);
      c.close();
    } finally {
      await sim.close();
    }
  });

  test('deny-login from the start denies every LOGIN; expire-token:0.05 makes the token fail at REST and LOGIN', async () => {
    const denied = await startSimulator({ faults: [parseFault('deny-login')] });
    try {
      const s = await schwabSession(denied);
      const c = await RawClient.open(s.socketUrl);
      c.send({ service: 'ADMIN', command: 'LOGIN', requestid: '1', ...s.ids, parameters: { Authorization: s.accessToken } });
      assert.equal((await c.response('1')).code, 3);
    } finally {
      await denied.close();
    }
    const expiring = await startSimulator({ faults: [parseFault('expire-token:0.05')] });
    try {
      const s = await schwabSession(expiring);
      await schwabStream(s);
      const pref = () => fetch(`${expiring.url}/trader/v1/userPreference`, { headers: { Authorization: `Bearer ${s.accessToken}` } }).then((r) => r.status);
      await waitForAsync('the token to expire', async () => (await pref()) === 401);
      const c = await RawClient.open(s.socketUrl);
      c.send({ service: 'ADMIN', command: 'LOGIN', requestid: '1', ...s.ids, parameters: { Authorization: s.accessToken } });
      assert.equal((await c.response('1')).code, 3);
    } finally {
      await expiring.close();
    }
  });
});
