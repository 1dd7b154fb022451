/**
 * The silence watchdog and the wait after a healthy connection, through `tapedeck record` against
 * its in-process simulator (README "What the recorder guarantees": "a silent socket (no frame or
 * heartbeat for 30 s)", "whatever ended it, the next attempt waits 0.25–0.5 s").
 */
import assert from 'node:assert/strict';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli, startCli } from '../helpers/cli.js';
import { query } from '../helpers/db.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const tmp = tempDir('cli-watchdog');
/** What a streamer command may take before it counts as unanswered (streamer-client.ts). */
const COMMAND_TIMEOUT_MS = 10_000;
after(() => tmp.cleanup());

/** stderr's event lines without their leading local time. */
const events = (stderr: string) => stderr.split('\n').filter(Boolean).map((l) => l.slice(24));

test('record --heartbeat-timeout 1: a simulator gone silent is left after a second and the client reconnects', async () => {
  const db = join(tmp.dir, 'silence-short.db');
  // The simulator stops sending anything, heartbeats included, 0.5 s after each login.
  const rec = startCli(['record', '--db', db, '--fault', 'silence:0.5', '--heartbeat-timeout', '1']);
  try {
    await waitFor('a reconnect after the silence', () => events(rec.stderr()).some((l) => l.startsWith('reconnected to ')), 20_000);
  } finally {
    rec.child.kill('SIGINT');
  }
  assert.equal((await rec.exit).code, 0, rec.stderr());
  const lines = events(rec.stderr());
  const silent = lines.indexOf('disconnected: no data or heartbeat for 1 s');
  assert.ok(silent > 0, rec.stderr());
  assert.match(lines[silent - 1]!, /^connected to ws:\/\//);
  assert.match(lines[silent + 1]!, /^reconnected to ws:\/\//);
  const reasons = query<{ end_reason: string }>(db, 'SELECT end_reason FROM sessions ORDER BY id').map((r) => r.end_reason);
  assert.equal(reasons[0], 'no data or heartbeat for 1 s');
});

test('without --heartbeat-timeout a silent socket is declared dead after 30 s, then replaced', { timeout: 90_000 }, async () => {
  const db = join(tmp.dir, 'silence-default.db');
  const rec = startCli(['record', '--db', db, '--fault', 'silence:0.5']);
  try {
    // The deadline is a failure bound only: the line itself says how long the socket was quiet.
    await waitFor('a reconnect after the silence', () => events(rec.stderr()).some((l) => l.startsWith('reconnected to ')), 70_000);
  } finally {
    rec.child.kill('SIGINT');
  }
  assert.equal((await rec.exit).code, 0, rec.stderr());
  const silent = events(rec.stderr()).filter((l) => l.startsWith('disconnected: '));
  assert.deepEqual(silent.slice(0, 1), ['disconnected: no data or heartbeat for 30 s'], rec.stderr());
});

test('after a healthy connection drops, the next attempt waits 0.25-0.5 s every time, not a growing backoff', { timeout: 60_000 }, async () => {
  const db = join(tmp.dir, 'healthy-drops.db');
  // Every connection streams data, then is cut after 1 s: each one was healthy.
  const r = await runCli(['record', '--db', db, '--duration', '12', '--fault', 'drop:every=1'], {}, 45_000);
  assert.equal(r.code, 0, r.stderr);
  const sessions = query<{ started_at: number; ended_at: number; end_reason: string }>(db, 'SELECT started_at, ended_at, end_reason FROM sessions ORDER BY id');
  assert.ok(sessions.length >= 6, `only ${sessions.length} connections in 12 s: ${JSON.stringify(sessions)}`);
  for (let i = 1; i < sessions.length; i++) {
    assert.match(sessions[i - 1]!.end_reason, /^connection dropped/);
    // From the drop to the next connection's socket being open: the wait, plus connecting.
    const gap = sessions[i]!.started_at - sessions[i - 1]!.ended_at;
    assert.ok(gap >= 250, `connection ${i + 1} came back ${gap} ms after the drop: no wait`);
    // A backoff that kept growing would reach 2-4 s by the fourth drop; a fixed 0.5 s cap never does.
    assert.ok(gap < 2000, `connection ${i + 1} came back ${gap} ms after the drop: ${JSON.stringify(sessions)}`);
  }
});

test('Ctrl-C on a silent socket logs out without waiting out the command timeout for an answer that never comes', { timeout: 60_000 }, async () => {
  const db = join(tmp.dir, 'silent-sigint.db');
  // Silent from 0.5 s after login. LOGOUT waits 2 s for its answer (LOGOUT_WAIT_MS), where it used
  // to wait the 10 s every command may take: the bound below is that functional limit, not a speed.
  const rec = startCli(['record', '--db', db, '--fault', 'silence:0.5']);
  let sentAt = 0;
  try {
    await waitFor('connected', () => events(rec.stderr()).some((l) => l.startsWith('connected to ')), 20_000);
    await new Promise((r) => setTimeout(r, 1_000)); // into the silence
  } finally {
    sentAt = Date.now();
    rec.child.kill('SIGINT');
  }
  assert.equal((await rec.exit).code, 0, rec.stderr());
  const waited = Date.now() - sentAt;
  assert.ok(waited < COMMAND_TIMEOUT_MS, `exit took ${waited} ms after Ctrl-C: the logout waited for the command timeout`);
  assert.deepEqual(events(rec.stderr()).filter((l) => l.startsWith('disconnected: ')), ['disconnected: logged out'], rec.stderr());
  assert.deepEqual(query<{ end_reason: string }>(db, 'SELECT end_reason FROM sessions ORDER BY id').map((r) => r.end_reason), ['logged out']);
});
