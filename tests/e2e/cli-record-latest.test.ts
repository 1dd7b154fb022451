/**
 * README "What the recorder guarantees": `<service>_latest` rows "are upserted at most once a
 * second (and on exit)". Watched from another connection while `tapedeck record` writes a fast
 * stream: the row's updated_at (the receive time of the update it was merged up to) moves in steps
 * a second apart while delta rows pour in between, and at exit it is the last update's.
 */
import assert from 'node:assert/strict';
import Database from 'better-sqlite3';
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import { after, test } from 'node:test';
import { startCli } from '../helpers/cli.js';
import { count } from '../helpers/db.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor, waitForAsync } from '../helpers/wait.js';

const tmp = tempDir('cli-latest');
after(() => tmp.cleanup());

test('_latest rows are rewritten at most once a second while updates stream, and once more at exit', { timeout: 60_000 }, async () => {
  const db = join(tmp.dir, 'latest.db');
  const rec = startCli(['record', '--db', db, '--symbols', 'AAPL', '--rate', '1000']);
  const seen: number[] = [];
  try {
    await waitFor('the database file', () => existsSync(db));
    const reader = new Database(db, { readonly: true });
    try {
      const latest = () => {
        try {
          return (reader.prepare("SELECT updated_at AS t FROM levelone_equities_latest WHERE key = 'AAPL'").get() as { t: number } | undefined)?.t;
        } catch {
          return undefined; // the table is not created yet
        }
      };
      // Every distinct value the row takes, polled far more often than once a second.
      await waitForAsync('five rewrites of the AAPL latest row', async () => {
        const t = latest();
        if (t !== undefined && t !== seen.at(-1)) seen.push(t);
        await new Promise((r) => setTimeout(r, 10));
        return seen.length >= 5;
      }, 30_000);
    } finally {
      reader.close();
    }
  } finally {
    rec.child.kill('SIGINT');
  }
  assert.equal((await rec.exit).code, 0, rec.stderr());

  for (let i = 1; i < seen.length; i++) {
    // Writes a second apart whose last updates arrived a little before each write: never close together.
    assert.ok(seen[i]! - seen[i - 1]! >= 500, `latest row rewritten ${seen[i]! - seen[i - 1]!} ms after the previous time: ${seen.join(', ')}`);
    // Meanwhile the stream went on: many delta rows were merged into one rewrite.
    const between = count(db, "SELECT count(*) AS n FROM levelone_equities WHERE key = 'AAPL' AND received_at > ? AND received_at <= ?", seen[i - 1], seen[i]);
    assert.ok(between > 20, `only ${between} AAPL updates between two rewrites`);
  }
  // On exit the row is brought up to the last update recorded.
  const last = count(db, "SELECT max(received_at) AS n FROM levelone_equities WHERE key = 'AAPL'");
  assert.equal(count(db, "SELECT updated_at AS n FROM levelone_equities_latest WHERE key = 'AAPL'"), last);
});
