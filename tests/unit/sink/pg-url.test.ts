/** PostgreSQL URLs: both schemes accepted, anything else refused, and the password never shown. */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { maskPassword, parsePgUrl, PgUrlError } from '../../../electron/node/sink/pg-url.js';

test('postgres:// and postgresql:// URLs parse; display hides the password', () => {
  const a = parsePgUrl('postgres://ann:s3cr%40t@db.example:5433/ticks');
  assert.equal(a.database, 'ticks');
  assert.equal(a.display, 'postgres://ann:***@db.example:5433/ticks');
  assert.equal(a.connectionString, 'postgres://ann:s3cr%40t@db.example:5433/ticks');
  const b = parsePgUrl('postgresql://ann@127.0.0.1/ticks?sslmode=disable');
  assert.equal(b.display, 'postgresql://ann@127.0.0.1/ticks?sslmode=disable');
});

test('a password is masked wherever it sits: before the last @, or as a query parameter', () => {
  assert.equal(maskPassword('postgres://u:p@ss:w@rd@h:1/d'), 'postgres://u:***@h:1/d');
  assert.equal(maskPassword('postgres://u@h/d?sslmode=require&password=hunter2'), 'postgres://u@h/d?sslmode=require&password=***');
  assert.equal(maskPassword('postgres://u@h/d'), 'postgres://u@h/d');
});

test('other schemes, hostless and databaseless URLs are refused, without echoing the password', () => {
  for (const bad of ['mysql://u:pw1@h/d', 'postgres://u:pw1@h', 'postgres://u:pw1@h/', 'not a url pw1', 'postgres:///d']) {
    assert.throws(
      () => parsePgUrl(bad),
      (err: Error) => err instanceof PgUrlError && !/pw1@/.test(err.message),
      bad,
    );
  }
});
