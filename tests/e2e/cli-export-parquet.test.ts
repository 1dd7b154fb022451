/**
 * `tapedeck export --format parquet` on a database recorded from the demo simulator (real sockets),
 * read back by DuckDB: every row and every column type equal to SQLite's, one table or the whole
 * database into a folder, the CSV export's filters, and the refusals with their exit codes.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { mkdirSync, readdirSync, readFileSync, symlinkSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import { runCli } from '../helpers/cli.js';
import { archivedFrames, query } from '../helpers/db.js';
import { readParquet, readSqlite } from '../helpers/parquet.js';
import { tempDir } from '../helpers/tmp.js';

const tmp = tempDir('cli-export-parquet');
after(() => tmp.cleanup());
const db = join(tmp.dir, 'ticks.db');
const out = (name: string) => join(tmp.dir, name);

describe('export --format parquet of a recorded database', () => {
  before(async () => {
    const r = await runCli(['record', '--db', db, '--duration', '3', '--symbols', 'AAPL,MSFT', '--services', 'LEVELONE_EQUITIES,NASDAQ_BOOK,CHART_EQUITY']);
    assert.equal(r.code, 0, r.stderr);
  });

  test('one table (format from the .parquet name): every row and column type as in SQLite', async () => {
    const file = out('levelone.parquet');
    const r = await runCli(['export', '--db', db, '--out', file, '--table', 'levelone_equities']);
    assert.equal(r.code, 0, r.stderr);
    const want = readSqlite(db, 'levelone_equities');
    assert.ok(want.rows.length > 10, 'the recording has rows');
    assert.equal(r.stdout.trim(), `exported ${want.rows.length} rows of levelone_equities to ${file}`);
    const back = await readParquet(file);
    assert.deepEqual(back.types, want.types);
    assert.equal(back.types.received_at, 'TIMESTAMP WITH TIME ZONE');
    assert.equal(back.types.bid_price, 'DOUBLE');
    assert.equal(back.types.key, 'VARCHAR');
    assert.deepEqual(back.rows, want.rows);
    assert.deepEqual(back.codecs, ['SNAPPY']);
  });

  test('without --table, every table with rows into a folder it creates, each equal to its table', async () => {
    const dir = out('all/of/it');
    const r = await runCli(['export', '--db', db, '--format', 'parquet', '--out', dir]);
    assert.equal(r.code, 0, r.stderr);
    // SQLite's own tables (sqlite_stat1, which PRAGMA optimize makes) are not the recording's.
    const tables = query<{ name: string }>(db, "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite\\_%' ESCAPE '\\' ORDER BY name").map((t) => t.name);
    // The archive (frames and its compressed frame_blocks) is exported as the one table `frames`.
    const withRows = tables.filter((t) => t !== 'frame_blocks' && (t === 'frames' ? archivedFrames(db).length : query<{ n: number }>(db, `SELECT count(*) AS n FROM "${t}"`)[0]!.n) > 0);
    for (const t of ['frames', 'sessions', 'meta', 'levelone_equities', 'nasdaq_book_levels', 'chart_equity_latest']) assert.ok(withRows.includes(t), t);
    assert.ok(withRows.length < tables.length, 'some tables are empty');
    assert.deepEqual(readdirSync(dir).sort(), withRows.map((t) => `${t}.parquet`).sort());
    for (const t of withRows) {
      const back = await readParquet(join(dir, `${t}.parquet`));
      const want = readSqlite(db, t);
      assert.deepEqual(back.types, want.types, t);
      assert.deepEqual(back.rows, want.rows, t);
    }
    assert.match(r.stdout, new RegExp(`exported ${withRows.length} tables \\(\\d+ rows\\) of .* to ${dir}`));
  });

  test('--from, --to and --key select the rows the CSV export selects', async () => {
    const times = query<{ t: number }>(db, "SELECT received_at AS t FROM levelone_equities WHERE key = 'AAPL' ORDER BY id").map((x) => x.t);
    const from = times[Math.floor(times.length / 4)]!;
    const to = times[Math.floor((3 * times.length) / 4)]!;
    const file = out('aapl.parquet');
    const r = await runCli(['export', '--db', db, '--out', file, '--table', 'levelone_equities', '--key', 'AAPL', '--from', String(from), '--to', new Date(to).toISOString()]);
    assert.equal(r.code, 0, r.stderr);
    const want = readSqlite(db, 'levelone_equities', "WHERE key = 'AAPL' AND received_at BETWEEN ? AND ?", from, to);
    assert.ok(want.rows.length > 0 && want.rows.length < times.length);
    assert.deepEqual((await readParquet(file)).rows, want.rows);
    // In a folder, tables without a key column are named on stderr and left out.
    const dir = out('aapl-only');
    const all = await runCli(['export', '--db', db, '--format', 'parquet', '--out', dir, '--key', 'AAPL']);
    assert.equal(all.code, 0, all.stderr);
    assert.match(all.stderr, /^skipped frames: frames has no key column$/m);
    assert.ok(readdirSync(dir).includes('levelone_equities.parquet'));
    assert.ok(!readdirSync(dir).includes('frames.parquet'));
    const folderRows = (await readParquet(join(dir, 'levelone_equities.parquet'))).rows;
    assert.deepEqual(folderRows, readSqlite(db, 'levelone_equities', "WHERE key = 'AAPL'").rows);
  });

  test('existing files are refused (exit 1, untouched, nothing written) unless --force', async () => {
    const file = out('exists.parquet');
    writeFileSync(file, 'keep me');
    const refused = await runCli(['export', '--db', db, '--out', file, '--table', 'sessions']);
    assert.equal(refused.code, 1);
    assert.match(refused.stderr, /^tapedeck export: \S+exists\.parquet already exists; nothing was written \(--force replaces it\)$/m);
    assert.equal(readFileSync(file, 'utf8'), 'keep me');
    const forced = await runCli(['export', '--db', db, '--out', file, '--table', 'sessions', '--force']);
    assert.equal(forced.code, 0, forced.stderr);
    assert.deepEqual((await readParquet(file)).rows, readSqlite(db, 'sessions').rows);

    const dir = out('half-full');
    mkdirSync(dir);
    writeFileSync(join(dir, 'sessions.parquet'), 'keep me too');
    const folder = await runCli(['export', '--db', db, '--format', 'parquet', '--out', dir]);
    assert.equal(folder.code, 1);
    assert.match(folder.stderr, /sessions\.parquet already exists; nothing was written/);
    assert.deepEqual(readdirSync(dir), ['sessions.parquet']);
    assert.equal(readFileSync(join(dir, 'sessions.parquet'), 'utf8'), 'keep me too');
  });

  test('refusals: no such table, a .parquet --out without --table, a file as the folder, a link', async () => {
    const noTable = await runCli(['export', '--db', db, '--out', out('x.parquet'), '--table', 'nope']);
    assert.equal(noTable.code, 1);
    assert.match(noTable.stderr, /^tapedeck export: no table 'nope' in the database$/m);
    const noTableFlag = await runCli(['export', '--db', db, '--out', out('y.parquet')]);
    assert.equal(noTableFlag.code, 2);
    assert.match(noTableFlag.stderr, /--table is required .*\(see 'tapedeck export --help'\)/);
    const badFormat = await runCli(['export', '--db', db, '--out', out('z'), '--format', 'arrow']);
    assert.equal(badFormat.code, 2);
    assert.match(badFormat.stderr, /--format must be sqlite, csv or parquet, not 'arrow'/);
    const file = out('plain-file');
    writeFileSync(file, '');
    const notFolder = await runCli(['export', '--db', db, '--format', 'parquet', '--out', file]);
    assert.equal(notFolder.code, 1);
    assert.match(notFolder.stderr, /plain-file is a file; without --table/);
    const link = out('link.parquet');
    symlinkSync(db, link);
    const viaLink = await runCli(['export', '--db', db, '--out', link, '--table', 'sessions', '--force']);
    assert.equal(viaLink.code, 1);
    assert.match(viaLink.stderr, /symbolic link/);
    // Nothing any refusal started is left behind, and the database still opens.
    assert.deepEqual(readdirSync(tmp.dir, { recursive: true, encoding: 'utf8' }).filter((f) => f.endsWith('.partial')), []);
    const check = new Database(db, { readonly: true });
    assert.equal(check.prepare('PRAGMA integrity_check').pluck().get(), 'ok');
    check.close();
  });
});
