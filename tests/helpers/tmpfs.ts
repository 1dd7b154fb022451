/**
 * A small real tmpfs, for tests of a disk that really fills: mounted for one test and unmounted
 * when it ends, whatever happens. Mounting needs root (CI runs as root); where it is refused the
 * test skips and says why, except under CI=true, where it fails: CI must run these tests.
 */
import { execFileSync } from 'node:child_process';
import { closeSync, mkdtempSync, openSync, rmdirSync, rmSync, statfsSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';

export interface Tmpfs {
  dir: string;
  /** Free bytes as the recorder's guard sees them (statfs). */
  free(): number;
  /**
   * Writes a filler file until only `leaveBytes` are free (0: until the file system answers
   * ENOSPC); remove() gives the space back.
   */
  fill(leaveBytes?: number): Filler;
}

export interface Filler {
  path: string;
  bytes: number;
  remove(): void;
}

const MB = 1024 * 1024;

/** A tmpfs of `sizeMb` on a new folder, or null after skipping the test (failing it under CI=true). */
export function mountTmpfs(t: TestContext, sizeMb: number): Tmpfs | null {
  const dir = mkdtempSync(join(tmpdir(), 'tapedeck-tmpfs-'));
  try {
    execFileSync('mount', ['-t', 'tmpfs', '-o', `size=${sizeMb}m`, 'tmpfs', dir], { stdio: 'pipe' });
  } catch (err) {
    rmdirSync(dir);
    const stderr = (err as { stderr?: Buffer }).stderr?.toString().trim();
    const why = `cannot mount a tmpfs to fill (${stderr || (err as Error).message}): this test needs root and mount(8)`;
    if (process.env.CI === 'true') throw new Error(`${why}; under CI it must run`);
    t.skip(why);
    return null;
  }
  t.after(() => unmount(dir));
  let fillers = 0;
  const free = () => {
    const s = statfsSync(dir);
    return s.bavail * s.bsize;
  };
  return {
    dir,
    free,
    fill(leaveBytes = 0) {
      const path = join(dir, `filler-${fillers++}`);
      const fd = openSync(path, 'w');
      const chunk = Buffer.alloc(MB / 16);
      let bytes = 0;
      try {
        for (let want = free() - leaveBytes; leaveBytes === 0 || bytes < want; ) {
          bytes += writeSync(fd, chunk, 0, leaveBytes === 0 ? chunk.length : Math.min(chunk.length, want - bytes));
        }
      } catch (err) {
        if ((err as NodeJS.ErrnoException).code !== 'ENOSPC') throw err;
      } finally {
        closeSync(fd);
      }
      return { path, bytes, remove: () => rmSync(path) };
    },
  };
}

/** A process still holding files there (a child not yet gone) must not leave the mount behind: lazily, then. */
function unmount(dir: string): void {
  try {
    execFileSync('umount', [dir], { stdio: 'pipe' });
  } catch {
    execFileSync('umount', ['-l', dir], { stdio: 'pipe' });
  }
  rmdirSync(dir);
}
