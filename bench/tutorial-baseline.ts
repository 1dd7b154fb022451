/**
 * The tutorial's way (seed/td-ameritrade-streaming-tutorial.txt), with SQLite standing in for SQL
 * Server: for every message, open a connection, insert one (service, timestamp, command) row,
 * commit, close. SQLite's default rollback journal with synchronous=FULL, as a fresh connection has.
 */
import Database from 'better-sqlite3';
import { join } from 'node:path';

export function tutorialWay(dir: string, frames: readonly string[]): { messages: number; seconds: number } {
  const path = join(dir, 'tutorial.db');
  const setup = new Database(path);
  setup.exec('CREATE TABLE IF NOT EXISTS td_service_data (service TEXT, timestamp TEXT, command TEXT)');
  setup.close();
  const started = process.hrtime.bigint();
  for (const text of frames) {
    const db = new Database(path);
    try {
      const m = JSON.parse(text) as { data?: { service: string; timestamp: number; command: string }[] };
      const d = m.data?.[0];
      if (d) db.prepare('INSERT INTO td_service_data (service, timestamp, command) VALUES (?, ?, ?)').run(d.service, String(d.timestamp), d.command);
    } finally {
      db.close();
    }
  }
  const seconds = Number(process.hrtime.bigint() - started) / 1e9;
  return { messages: frames.length, seconds };
}
