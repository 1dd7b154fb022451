/**
 * The free-space guard: recording pauses before the disk fills (SQLite would survive a full disk,
 * but everything else on it would not), and resumes when space returns.
 */
import { statfsSync } from 'node:fs';

/** Free bytes available to this user on the file system holding `dir` (injectable for tests). */
export type FreeSpace = (dir: string) => number;

export const freeSpace: FreeSpace = (dir) => {
  const s = statfsSync(dir);
  return s.bavail * s.bsize;
};

export class DiskGuard {
  private low = false;

  constructor(
    private readonly dir: string,
    /** Below this many bytes free, recording pauses; 0 turns the guard off. */
    private readonly minFreeBytes: number,
    private readonly free: FreeSpace = freeSpace,
  ) {}

  /** Checks now; returns the change, if any, with the free bytes measured. */
  check(): { change: 'paused' | 'resumed' | null; freeBytes: number } {
    if (this.minFreeBytes <= 0) return { change: null, freeBytes: Number.POSITIVE_INFINITY };
    let bytes: number;
    try {
      bytes = this.free(this.dir);
    } catch {
      // Cannot tell (the folder went away): keep the current state rather than guess.
      return { change: null, freeBytes: Number.NaN };
    }
    const low = bytes < this.minFreeBytes;
    const change = low === this.low ? null : low ? 'paused' : 'resumed';
    this.low = low;
    return { change, freeBytes: bytes };
  }

  get paused(): boolean {
    return this.low;
  }
}
