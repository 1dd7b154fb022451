/**
 * `record`'s streamer flags change what is sent, seen by a real simulator (in this process, so its
 * record of the commands each connection received can be read) while the built CLI records:
 * --services (README: "picks the services instead … actives and screener services get a default
 * key"), --qos (tdameritrade), --account (which TD account the streamer logs in as).
 * --heartbeat-timeout: cli-record-watchdog.test.ts.
 */
import assert from 'node:assert/strict';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { after, before, describe, test } from 'node:test';
import type { Dialect } from '../../shared/protocol/services.js';
import { writeTokenFile } from '../../electron/node/auth/token-file.js';
import { startSimulator, type SimHandle } from '../../electron/node/sim/index.js';
import { runCli, startCli } from '../helpers/cli.js';
import { archivedFrames, count, query } from '../helpers/db.js';
import { APP, simTokens } from '../helpers/engine-harness.js';
import { tempDir } from '../helpers/tmp.js';
import { waitFor } from '../helpers/wait.js';

const tmp = tempDir('cli-flags');
const rowsIn = (db: string, sql: string) => {
  try {
    return count(db, sql);
  } catch {
    return 0; // no file or no table yet
  }
};

describe('record --services, --qos and --account against tapedeck sim', () => {
  let sim: SimHandle;
  before(async () => {
    sim = await startSimulator({ rate: 400, heartbeatMs: 500 });
  });
  after(async () => {
    await sim.close();
    tmp.cleanup();
  });

  /** A token file from a real login at the simulator's token endpoint. */
  async function tokenFile(dialect: Dialect, name: string): Promise<string> {
    const file = join(tmp.dir, `${name}-token.json`);
    writeTokenFile(file, await simTokens(sim, dialect));
    return file;
  }

  /** Records until `ready` holds, then SIGINT; returns the commands the simulator received meanwhile. */
  async function record(dialect: Dialect, db: string, flags: string[], ready: () => boolean) {
    const first = sim.stats().commands.length;
    const rec = startCli(['record', '--provider', dialect, '--db', db, '--token-file', await tokenFile(dialect, db.replace(/\W/g, '')), '--api-base', sim.url, '--app-key', APP.appKey, '--app-secret', APP.appSecret, ...flags]);
    try {
      await waitFor(`recording ${flags.join(' ')}`, () => ready() || rec.child.exitCode !== null, 30_000);
    } finally {
      rec.child.kill('SIGINT');
    }
    assert.equal((await rec.exit).code, 0, rec.stderr());
    return sim.stats().commands.slice(first);
  }

  test('--services subscribes each named service with the symbols of its kind, screener a default key, and records each', { timeout: 90_000 }, async () => {
    const db = join(tmp.dir, 'services.db');
    const commands = await record('schwab', db, ['--symbols', 'AAPL,MSFT,/ES', '--services', 'LEVELONE_EQUITIES,CHART_EQUITY,NASDAQ_BOOK,SCREENER_EQUITY'], () =>
      ['chart_equity', 'nasdaq_book_levels', 'screener_equity'].every((t) => rowsIn(db, `SELECT count(*) AS n FROM ${t}`) > 0),
    );
    const subs = commands.filter((c) => c.command === 'SUBS').map((c) => `${c.service} ${[...c.keys].sort().join(',')}`).sort();
    assert.deepEqual(subs, ['CHART_EQUITY AAPL,MSFT', 'LEVELONE_EQUITIES AAPL,MSFT', 'NASDAQ_BOOK AAPL,MSFT', 'SCREENER_EQUITY NASDAQ_VOLUME_0']);
    // /ES is not an equity: with --services, nothing routes it to its level-one service.
    assert.equal(rowsIn(db, 'SELECT count(*) AS n FROM levelone_futures'), 0);
    assert.deepEqual(query<{ key: string }>(db, 'SELECT DISTINCT key FROM chart_equity ORDER BY key').map((r) => r.key), ['AAPL', 'MSFT']);

    // Without --services the same symbols go to their level-one services only.
    const plain = join(tmp.dir, 'plain.db');
    const routed = await record('schwab', plain, ['--symbols', 'AAPL,MSFT,/ES'], () => rowsIn(plain, 'SELECT count(*) AS n FROM levelone_futures') > 0);
    assert.deepEqual(routed.filter((c) => c.command === 'SUBS').map((c) => `${c.service} ${[...c.keys].sort().join(',')}`).sort(), ['LEVELONE_EQUITIES AAPL,MSFT', 'LEVELONE_FUTURES /ES']);
  });

  test('--qos N sets that QOS level on tdameritrade; without it the level is 0', { timeout: 90_000 }, async () => {
    const qosReplies = (db: string) =>
      archivedFrames(db).filter((f) => f.text?.includes('qoslevel=')).map((f) => /qoslevel=(\d)/.exec(f.text!)?.[1]);
    const fast = join(tmp.dir, 'qos-3.db');
    const commands = await record('tdameritrade', fast, ['--symbols', 'AAPL', '--qos', '3'], () => rowsIn(fast, 'SELECT count(*) AS n FROM quote') > 0);
    assert.equal(commands.filter((c) => c.service === 'ADMIN' && c.command === 'QOS').length, 1);
    // The server's acknowledgement, archived as received, names the level it was asked for.
    assert.deepEqual(qosReplies(fast), ['3']);
    const plain = join(tmp.dir, 'qos-default.db');
    await record('tdameritrade', plain, ['--symbols', 'AAPL'], () => rowsIn(plain, 'SELECT count(*) AS n FROM quote') > 0);
    assert.deepEqual(qosReplies(plain), ['0']);
  });

  test('--account picks the TD account the streamer logs in as; an account the login does not have is refused', { timeout: 90_000 }, async () => {
    const file = await tokenFile('tdameritrade', 'account');
    const { access_token: accessToken } = JSON.parse(readFileSync(file, 'utf8')) as { access_token: string };
    const principals = (await (await fetch(`${sim.url}/v1/userprincipals?fields=streamerSubscriptionKeys,streamerConnectionInfo`, { headers: { Authorization: `Bearer ${accessToken}` } })).json()) as { accounts: { accountId: string }[] };
    const account = principals.accounts[0]!.accountId;

    const db = join(tmp.dir, 'account.db');
    const ok = startCli(['record', '--provider', 'tdameritrade', '--db', db, '--token-file', file, '--api-base', sim.url, '--app-key', APP.appKey, '--symbols', 'AAPL', '--account', account]);
    try {
      await waitFor('QUOTE rows', () => rowsIn(db, 'SELECT count(*) AS n FROM quote') > 0 || ok.child.exitCode !== null, 30_000);
    } finally {
      ok.child.kill('SIGINT');
    }
    assert.equal((await ok.exit).code, 0, ok.stderr());
    assert.match(ok.stderr(), new RegExp(`connected to ws://127\\.0\\.0\\.1:\\d+/ws as ${account} \\(TD server `));

    const other = String(Number(account) + 1);
    const refused = await runCli(['record', '--provider', 'tdameritrade', '--db', join(tmp.dir, 'other.db'), '--token-file', file, '--api-base', sim.url, '--app-key', APP.appKey, '--symbols', 'AAPL', '--account', other]);
    assert.equal(refused.code, 1, refused.stderr);
    assert.match(refused.stderr, new RegExp(`^tapedeck record: .*no account ${other}\\n$`));
  });
});
