/**
 * The sink's one untrusted input besides the SQLite file: a PostgreSQL URL from the command line
 * or the settings. Checked here, once, so everything after it holds a parsed target; and shown
 * only through `display`, which never carries the password (README: never log a password).
 */
export interface PgTarget {
  /** The URL as given: handed to `pg`, never printed. */
  readonly connectionString: string;
  /** The URL with any password replaced by `***`: what messages show. */
  readonly display: string;
  readonly database: string;
}

export class PgUrlError extends Error {}

/** Parses `postgres://USER[:PASSWORD]@HOST[:PORT]/DB[?…]` (or `postgresql://`). Throws PgUrlError. */
export function parsePgUrl(text: string): PgTarget {
  let url: URL;
  try {
    url = new URL(text);
  } catch {
    throw new PgUrlError(`'${maskPassword(text)}' is not a URL (postgres://USER@HOST:PORT/DB)`);
  }
  if (url.protocol !== 'postgres:' && url.protocol !== 'postgresql:') {
    throw new PgUrlError(`'${maskPassword(text)}' is not a postgres:// or postgresql:// URL`);
  }
  if (!url.hostname) throw new PgUrlError(`'${maskPassword(text)}' names no host (postgres://USER@HOST:PORT/DB)`);
  const database = decodeURIComponent(url.pathname.replace(/^\//, ''));
  if (!database || database.includes('/')) throw new PgUrlError(`'${maskPassword(text)}' names no database (postgres://USER@HOST:PORT/DB)`);
  return { connectionString: text, display: maskPassword(text), database };
}

/**
 * `text` with the password of a URL-like `scheme://user:password@…` (up to the authority's last
 * `@`, as URL parsers read it) and any `password=` query parameter replaced by `***`.
 */
export function maskPassword(text: string): string {
  return text.replace(/^([a-z][a-z0-9+.-]*:\/\/[^:/@?#]*):[^/?#]*@/i, '$1:***@').replace(/([?&]password=)[^&#]*/gi, '$1***');
}
