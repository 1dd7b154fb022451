/**
 * Locates built artefacts (the host worker bundle, the renderer) whether this code runs from the
 * bundle in dist/ or from source under tsx (tests): both resolve to the repository's dist/.
 */
import { existsSync } from 'node:fs';
import { dirname, join, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export function distDir(): string {
  let dir = dirname(fileURLToPath(import.meta.url));
  for (let i = 0; i < 5; i++) {
    if (existsSync(join(dir, 'host-worker.js')) && existsSync(join(dir, 'cli.js'))) return dir;
    if (existsSync(join(dir, 'dist', 'host-worker.js'))) return join(dir, 'dist');
    dir = resolve(dir, '..');
  }
  throw new Error("the built files are missing: run 'npm run build'");
}
