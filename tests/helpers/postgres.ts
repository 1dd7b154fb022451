/**
 * A real PostgreSQL for the sink's tests: the server named by TAPEDECK_TEST_POSTGRES_URL
 * (scripts/ci-postgres.sh starts a throwaway one and exports it; .ci/run does). Each test gets a
 * database of its own, dropped afterwards, so tests are independent and may run side by side.
 * Without the variable a test skips and says why, except under CI, where it fails: CI must run them.
 */
import type { TestContext } from 'node:test';
import pg from 'pg';

export const POSTGRES_SKIP = 'no PostgreSQL: set TAPEDECK_TEST_POSTGRES_URL (scripts/ci-postgres.sh starts one)';

export interface TestDatabase {
  /** A URL for the new database, with the server's password. `query` reads bigint as number. */
  url: string;
  name: string;
  query<T extends pg.QueryResultRow = Record<string, unknown>>(sql: string, params?: unknown[]): Promise<T[]>;
}

let seq = 0;

/** The server's URL, or null after skipping the test (failing it under CI=true). */
export function postgresUrl(t: TestContext): string | null {
  const url = process.env.TAPEDECK_TEST_POSTGRES_URL;
  if (url) return url;
  if (process.env.CI === 'true') throw new Error(`${POSTGRES_SKIP}; under CI these tests must run`);
  t.skip(POSTGRES_SKIP);
  return null;
}

/** A fresh database on the test server (dropped when the test ends), or null when the test was skipped. */
export async function testDatabase(t: TestContext): Promise<TestDatabase | null> {
  const server = postgresUrl(t);
  if (!server) return null;
  const name = `tapedeck_t${process.pid}_${seq++}_${Date.now().toString(36)}`;
  await adminQuery(server, `CREATE DATABASE ${name}`);
  const url = new URL(server);
  url.pathname = `/${name}`;
  // bigint comes back as a number (the recorder's ids and times all fit), so rows compare with SQLite's as they are.
  const types = { getTypeParser: (oid: number, format?: 'text' | 'binary') => (oid === 20 ? Number : pg.types.getTypeParser(oid, format)) } as pg.CustomTypesConfig;
  const client = new pg.Client({ connectionString: url.href, types });
  await client.connect();
  t.after(async () => {
    await client.end().catch(() => undefined);
    await adminQuery(server, `DROP DATABASE IF EXISTS ${name} WITH (FORCE)`);
  });
  return {
    url: url.href,
    name,
    query: async <T extends pg.QueryResultRow>(sql: string, params?: unknown[]) => (await client.query<T>(sql, params)).rows,
  };
}

async function adminQuery(server: string, sql: string): Promise<void> {
  const c = new pg.Client({ connectionString: server });
  await c.connect();
  try {
    await c.query(sql);
  } finally {
    await c.end();
  }
}
