/** Small JSON documents in the user-data folder, written atomically; a corrupt file is set aside, not fatal. */
import { existsSync, readFileSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { ensureDir } from '../fs/ensure-dir.js';

export function readJsonFile(path: string, onProblem: (message: string) => void): unknown {
  if (!existsSync(path)) return undefined;
  try {
    return JSON.parse(readFileSync(path, 'utf8'));
  } catch (err) {
    const aside = `${path}.corrupt-${Date.now()}`;
    renameSync(path, aside);
    onProblem(`${path} could not be read (${(err as Error).message}); it was moved to ${aside} and defaults are used`);
    return undefined;
  }
}

export function writeJsonFile(path: string, value: unknown, mode = 0o644): void {
  ensureDir(dirname(path));
  writeFileAtomic(path, JSON.stringify(value, null, 2) + '\n', { mode });
}
