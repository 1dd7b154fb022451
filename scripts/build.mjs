// Bundles every entry point with esbuild: the plain-Node CLI and host worker, the Electron main
// process and preload, and the React renderer (browser platform, no Node).
// Native and runtime-resolved packages stay external so better-sqlite3 loads its own binding.
import { build } from 'esbuild';
import { copyFileSync, mkdirSync, readdirSync, rmSync } from 'node:fs';

// React's development build is several times slower; it is opt-in (TAPEDECK_DEV=1), never the default.
const production = process.env.TAPEDECK_DEV !== '1';
const requireShim = "import { createRequire as __tdCreateRequire } from 'node:module'; const require = __tdCreateRequire(import.meta.url);";

const node = {
  bundle: true,
  platform: 'node',
  target: 'node20',
  format: 'esm',
  sourcemap: true,
  packages: 'external',
  logLevel: 'warning',
  banner: { js: requireShim },
};

// Chunks sit beside the entry points (a worker is started by its file name next to the code that
// starts it: electron/node/worker/start-worker.ts) and carry a content hash, so old ones would pile up.
const CHUNK = /^[\w-]+-[A-Z0-9]{8}\.js(\.map)?$/;
mkdirSync('dist', { recursive: true });
for (const name of readdirSync('dist', { withFileTypes: true })) if (name.isFile() && CHUNK.test(name.name)) rmSync(`dist/${name.name}`);

const builds = [
  // Split into shared chunks: the CLI loads a command's code only when that command runs (cli/main.ts).
  build({ ...node, splitting: true, chunkNames: '[name]-[hash]', entryPoints: { cli: 'electron/node/cli/main.ts', 'host-worker': 'electron/node/host/worker-entry.ts', 'recorder-worker': 'electron/node/recorder/recorder-worker.ts', 'sink-worker': 'electron/node/sink/sink-worker.ts', 'demo-sim-worker': 'electron/node/provider/demo-sim-worker.ts' }, outdir: 'dist' }),
];

// The renderer and the Electron shell exist once their sources do (they land after the engine).
import { existsSync } from 'node:fs';
if (existsSync('renderer/src/main.tsx')) {
  mkdirSync('dist/renderer', { recursive: true });
  copyFileSync('renderer/index.html', 'dist/renderer/index.html');
  builds.push(
    build({
      entryPoints: { app: 'renderer/src/main.tsx' },
      outdir: 'dist/renderer',
      bundle: true,
      platform: 'browser',
      target: ['chrome120'],
      format: 'esm',
      jsx: 'automatic',
      sourcemap: true,
      minify: production,
      define: { 'process.env.NODE_ENV': JSON.stringify(production ? 'production' : 'development') },
      logLevel: 'warning',
    }),
  );
}
if (existsSync('electron/main/index.ts')) {
  builds.push(
    // Electron's main process loads ESM; the preload runs sandboxed and must be CommonJS.
    build({ ...node, target: 'node22', entryPoints: { main: 'electron/main/index.ts' }, outdir: 'dist/electron', external: ['electron'] }),
    build({ ...node, target: 'chrome120', format: 'cjs', banner: {}, entryPoints: { preload: 'electron/preload/preload.ts' }, outdir: 'dist/electron', outExtension: { '.js': '.cjs' }, external: ['electron'] }),
  );
}
await Promise.all(builds);
