/**
 * `record --sink` and `tapedeck ship` as a user runs them, against a real PostgreSQL: every table
 * lands as in SQLite, a second ship sends nothing, mistakes get the usual exit codes, and the
 * password is never printed.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { archivedFrames } from '../helpers/db.js';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { testDatabase, type TestDatabase } from '../helpers/postgres.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('cli-ship');
after(() => tmp.cleanup());

/** Every row of every shipped table, SQLite against PostgreSQL, all columns. */
async function assertSameRows(path: string, pg: TestDatabase): Promise<Record<string, number>> {
  const sqlite = new Database(path, { readonly: true });
  const counts: Record<string, number> = {};
  try {
    const tables = (await pg.query<{ table_name: string }>('SELECT table_name FROM tapedeck_ship_hwm ORDER BY 1')).map((r) => r.table_name);
    for (const table of tables) {
      const cols = (sqlite.prepare(`PRAGMA table_info("${table}")`).all() as { name: string }[]).map((c) => `"${c.name}"`).join(', ');
      // The archive ships as `frames`, every frame once, whether SQLite holds it uncompressed or in a block.
      const expected =
        table === 'frames'
          ? archivedFrames(path).map((f) => ({ id: f.id, session_id: f.sessionId, received_at: f.receivedAt, text: f.text, data: f.data ? Buffer.from(f.data) : null, flags: f.flags }))
          : (sqlite.prepare(`SELECT ${cols} FROM "${table}" ORDER BY rowid`).all() as Record<string, unknown>[]);
      const actual = await pg.query(`SELECT ${cols} FROM "${table}" ORDER BY id`);
      assert.deepEqual(actual, expected, table);
      counts[table] = expected.length;
    }
  } finally {
    sqlite.close();
  }
  return counts;
}

test('record --sink ships every table of a demo recording as it is recorded, and says so without the password', async (t) => {
  const pg = await testDatabase(t);
  if (!pg) return;
  const path = join(tmp.dir, 'live.db');
  const r = await runCli(['record', '--db', path, '--duration', '3', '--sink', pg.url]);
  assert.equal(r.code, 0, r.stderr);
  const password = decodeURIComponent(new URL(pg.url).password);
  if (password) assert.ok(!r.stderr.includes(password) && !r.stdout.includes(password), 'the password is never printed');
  assert.match(r.stderr, /shipping to postgres:\/\/\S+ as recorder [0-9a-f-]{36}\n/);
  const counts = await assertSameRows(path, pg);
  assert.ok(counts.levelone_equities! > 0 && counts.levelone_futures! > 0 && counts.frames! > 0, JSON.stringify(counts));
  assert.equal(counts.sessions, 1);
  // The last line says what was shipped, table by table.
  const last = r.stderr.trim().split('\n').at(-1)!.slice(24);
  assert.match(last, new RegExp(`^sink: shipped .*${counts.levelone_equities!.toLocaleString('en-US')} levelone_equities.* to postgres://`));
});

test('ship backfills a file (postgresql://, password from PGPASSWORD) and a second run ships nothing', async (t) => {
  const pg = await testDatabase(t);
  if (!pg) return;
  const path = join(tmp.dir, 'backfill.db');
  assert.equal((await runCli(['record', '--db', path, '--duration', '2'])).code, 0);
  const url = new URL(pg.url);
  const password = decodeURIComponent(url.password);
  url.password = '';
  url.protocol = 'postgresql:';
  const first = await runCli(['ship', '--db', path, '--to', url.href], { PGPASSWORD: password });
  assert.equal(first.code, 0, first.stderr);
  const counts = await assertSameRows(path, pg);
  for (const [table, n] of Object.entries(counts)) assert.match(first.stdout, new RegExp(`\\b${n.toLocaleString('en-US')} ${table}\\b`), table);
  const second = await runCli(['ship', '--db', path, '--to', url.href], { PGPASSWORD: password });
  assert.equal(second.code, 0, second.stderr);
  assert.match(second.stdout, /^shipped nothing from \S+ to postgresql:\/\/postgres@127\.0\.0\.1:\d+\/\S+ \(recorder [0-9a-f-]{36}\)\n$/);
  assert.deepEqual(await assertSameRows(path, pg), counts);
});

test('ship: a bad URL is a usage error, an unreachable server a user error, neither prints the password', async () => {
  const path = join(tmp.dir, 'errors.db');
  assert.equal((await runCli(['record', '--db', path, '--duration', '0.5'])).code, 0);
  const bad = await runCli(['ship', '--db', path, '--to', 'mysql://u:hunter2@h/d']);
  assert.equal(bad.code, 2);
  assert.equal(bad.stderr, "tapedeck ship: --to: 'mysql://u:***@h/d' is not a postgres:// or postgresql:// URL (see 'tapedeck ship --help')\n");
  const sinkBad = await runCli(['record', '--db', path, '--sink', 'postgres://u:hunter2@h']);
  assert.equal(sinkBad.code, 2);
  assert.doesNotMatch(sinkBad.stderr, /hunter2/);
  // Port 1: nothing listens there.
  const down = await runCli(['ship', '--db', path, '--to', 'postgres://u:hunter2@127.0.0.1:1/d']);
  assert.equal(down.code, 1);
  assert.match(down.stderr, /^tapedeck ship: cannot reach postgres:\/\/u:\*\*\*@127\.0\.0\.1:1\/d: connection refused/);
  assert.doesNotMatch(down.stderr, /hunter2/);
  const help = await runCli(['ship', '--help']);
  assert.equal(help.code, 0);
  assert.match(help.stdout, /^usage: tapedeck ship --db FILE --to postgres:\/\//);
});
