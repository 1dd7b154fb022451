// Type-checks every tsconfig (shared, node, electron, renderer, tests), two at a time: each tsc is
// single-threaded, and one after another they took ~35 s of a two-core machine's wall time.
import { spawn } from 'node:child_process';
import { availableParallelism } from 'node:os';
import { createRequire } from 'node:module';

// The largest first, so the two lanes finish together.
const PROJECTS = ['tsconfig.tests.json', 'tsconfig.node.json', 'tsconfig.renderer.json', 'tsconfig.electron.json', 'tsconfig.shared.json'];
const tsc = createRequire(import.meta.url).resolve('typescript/bin/tsc');

function check(project) {
  return new Promise((resolve) => {
    const child = spawn(process.execPath, [tsc, '-p', project], { stdio: ['ignore', 'pipe', 'pipe'] });
    let out = '';
    child.stdout.on('data', (d) => (out += d));
    child.stderr.on('data', (d) => (out += d));
    child.on('close', (code) => resolve({ project, code, out }));
  });
}

const queue = [...PROJECTS];
const failed = [];
async function lane() {
  for (let project = queue.shift(); project; project = queue.shift()) {
    const r = await check(project);
    // Printed whole, one project at a time, so two projects' errors never interleave.
    if (r.out) process.stdout.write(r.out);
    if (r.code !== 0) failed.push(project);
  }
}
await Promise.all(Array.from({ length: Math.max(1, Math.min(2, availableParallelism())) }, lane));
if (failed.length > 0) {
  console.error(`typecheck failed: ${failed.join(', ')}`);
  process.exit(1);
}
