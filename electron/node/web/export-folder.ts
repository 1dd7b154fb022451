/**
 * Browser mode's exports folder: an export is written here and offered as a download, so without
 * care every export stayed under the user-data folder for ever. A file is removed once it has been
 * downloaded completely, or EXPORT_TTL_MS after it was offered, whichever comes first; what an
 * earlier run left (a crash, downloads never fetched) is removed at start, and the rest at close.
 */
import { readdirSync, rmSync } from 'node:fs';
import { join } from 'node:path';
import { ensureDir } from '../fs/ensure-dir.js';

/** How long an export waits for its download. */
export const EXPORT_TTL_MS = 60 * 60_000;

export class ExportFolder {
  private readonly timers = new Map<string, NodeJS.Timeout>();

  constructor(
    readonly dir: string,
    private readonly ttlMs = EXPORT_TTL_MS,
  ) {
    ensureDir(dir, 0o700);
    this.clear();
  }

  /** An export named `name` is being offered: it goes after the time limit unless downloaded before. */
  offered(name: string): void {
    clearTimeout(this.timers.get(name));
    const timer = setTimeout(() => this.remove(name), this.ttlMs);
    timer.unref();
    this.timers.set(name, timer);
  }

  /** The download of `name` completed: the file has served its purpose. */
  downloaded(name: string): void {
    this.remove(name);
  }

  close(): void {
    for (const t of this.timers.values()) clearTimeout(t);
    this.timers.clear();
    this.clear();
  }

  private remove(name: string): void {
    clearTimeout(this.timers.get(name));
    this.timers.delete(name);
    rmSync(join(this.dir, name), { force: true });
  }

  private clear(): void {
    for (const name of readdirSync(this.dir)) rmSync(join(this.dir, name), { recursive: true, force: true });
  }
}
