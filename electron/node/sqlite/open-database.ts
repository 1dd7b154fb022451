/**
 * Every SQLite connection is opened here, so the process can point better-sqlite3 at the native
 * binding built for its runtime: the Electron app loads one built for Electron's ABI while the
 * Node CLI and tests load the one npm built for Node (better-sqlite3's `nativeBinding` option).
 */
import Database from 'better-sqlite3';

let nativeBinding: string | undefined;

export function setNativeBinding(path: string | undefined): void {
  nativeBinding = path;
}

export function openDatabase(path: string, options: Database.Options = {}): Database.Database {
  return new Database(path, nativeBinding ? { ...options, nativeBinding } : options);
}

/** The SQLite library's version, as the loaded binding reports it (About shows it). */
export function sqliteVersion(): string {
  const db = openDatabase(':memory:');
  try {
    return (db.prepare('SELECT sqlite_version() AS v').get() as { v: string }).v;
  } finally {
    db.close();
  }
}

/** The binding this thread loads, for a worker thread that must load the same one. */
export function currentNativeBinding(): string | undefined {
  return nativeBinding;
}
