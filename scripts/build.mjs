// Bundles the plain-Node entry points (CLI, engine worker) with esbuild.
// Native and runtime-resolved packages stay external so better-sqlite3 loads its own binding.
import { build } from 'esbuild';

const entryPoints = {
  cli: 'electron/cli/main.ts',
};

await build({
  entryPoints,
  outdir: 'dist',
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning',
  banner: {
    js: "import { createRequire as __tdCreateRequire } from 'node:module'; const require = __tdCreateRequire(import.meta.url);",
  },
});
