/**
 * The PostgreSQL the sink stage ships into: TAPEDECK_TEST_POSTGRES_URL when set, otherwise a
 * throwaway one from scripts/ci-postgres.sh (the tests' and CI's script), stopped afterwards.
 * Null, with the reason, when neither is possible (no PostgreSQL installed and no apt).
 */
import { spawnSync } from 'node:child_process';
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
