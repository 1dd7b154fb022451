#!/usr/bin/env node
// The package's bin: runs the bundled CLI (built by `npm install` / `npm run build`).
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

const cli = fileURLToPath(new URL('../dist/cli.js', import.meta.url));
if (!existsSync(cli)) {
  process.stderr.write("tapedeck: the CLI is not built yet; run 'npm install' (or 'npm run build') in the repository\n");
  process.exit(1);
}
await import(cli);
