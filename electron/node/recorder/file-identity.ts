/**
 * Notices a database deleted or replaced under a running recorder. SQLite keeps writing into the
 * file it opened, so a deleted file swallowed the whole run silently and a replaced one (a backup
 * restored over it) received nothing. The path's device and inode are compared with the ones the
 * writer opened, at most once per CHECK_INTERVAL_MS (a stat per second costs nothing).
 */
import { statSync } from 'node:fs';

export const CHECK_INTERVAL_MS = 1000;

export class FileIdentity {
  private readonly dev: number;
  private readonly ino: number;
  private checkedAt = 0;

  constructor(private readonly path: string) {
    const s = statSync(path);
    this.dev = s.dev;
    this.ino = s.ino;
  }

  /** 'deleted' or 'replaced' when the path no longer leads to the opened file; null when it does, or when checked less than a second ago. */
  changed(now = Date.now()): 'deleted' | 'replaced' | null {
    if (now - this.checkedAt < CHECK_INTERVAL_MS) return null;
    this.checkedAt = now;
    let s;
    try {
      s = statSync(this.path);
    } catch {
      return 'deleted';
    }
    return s.dev === this.dev && s.ino === this.ino ? null : 'replaced';
  }
}
