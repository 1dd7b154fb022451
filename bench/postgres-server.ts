/**
 * The PostgreSQL the sink stage ships into: TAPEDECK_TEST_POSTGRES_URL when set, otherwise a
 * throwaway one from scripts/ci-postgres.sh (the tests' and CI's script), stopped afterwards.
 * Null, with the reason, when neither is possible (no PostgreSQL installed and no apt).
 */
import { spawnSync } from 'node:child_process';
import pg from 'pg';
import { fileURLToPath } from 'node:url';

const SCRIPT = fileURLToPath(new URL('../scripts/ci-postgres.sh', import.meta.url));

export interface BenchPostgres {
  url: string;
  stop: () => void;
}

export function startBenchPostgres(): BenchPostgres | { skip: string } {
  const given = process.env.TAPEDECK_TEST_POSTGRES_URL;
  if (given) return { url: given, stop: () => undefined };
  const r = spawnSync('bash', [SCRIPT, 'start'], { encoding: 'utf8', timeout: 300_000 });
  const url = /^TAPEDECK_TEST_POSTGRES_URL=(.+)$/m.exec(r.stdout ?? '')?.[1];
  const dir = /^TAPEDECK_POSTGRES_DIR=(.+)$/m.exec(r.stdout ?? '')?.[1];
  if (r.status !== 0 || !url || !dir) {
    const why = (r.stderr || r.error?.message || `exit ${r.status}`).trim().split('\n').at(-1);
    return { skip: `no PostgreSQL (scripts/ci-postgres.sh start failed: ${why}); set TAPEDECK_TEST_POSTGRES_URL to use one` };
  }
  return { url, stop: () => void spawnSync('bash', [SCRIPT, 'stop', dir], { stdio: 'ignore', timeout: 60_000 }) };
}

/**
 * Runs a stage against a fresh database (named `prefix_PID_TIME`) on the bench's PostgreSQL, then
 * drops it and stops the server; with no PostgreSQL, logs why the stage was skipped.
 */
export async function withBenchDatabase<T>(prefix: string, stage: string, log: (s: string) => void, run: (url: string) => Promise<T[]>): Promise<T[]> {
  const server = startBenchPostgres();
  if ('skip' in server) {
    log(`  ${stage} stage skipped: ${server.skip}`);
    return [];
  }
  const dbName = `${prefix}_${process.pid}_${Date.now().toString(36)}`;
  const admin = new pg.Client({ connectionString: server.url });
  await admin.connect();
  await admin.query(`CREATE DATABASE ${dbName}`);
  const url = new URL(server.url);
  url.pathname = `/${dbName}`;
  try {
    return await run(url.href);
  } finally {
    await admin.query(`DROP DATABASE IF EXISTS ${dbName} WITH (FORCE)`).catch(() => undefined);
    await admin.end();
    server.stop();
  }
}
