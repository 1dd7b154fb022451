/** Runs the built `tapedeck` bin as a child process, the way a user or another tool would. */
import { spawn, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { existsSync } from 'node:fs';
import { fileURLToPath } from 'node:url';

export const BIN = fileURLToPath(new URL('../../bin/tapedeck.js', import.meta.url));
const DIST = fileURLToPath(new URL('../../dist/cli.js', import.meta.url));

export interface CliRun {
  child: ChildProcessWithoutNullStreams;
  stdout: () => string;
  stderr: () => string;
  exit: Promise<{ code: number | null; signal: NodeJS.Signals | null }>;
}

export function startCli(args: string[], env: Record<string, string> = {}): CliRun {
  if (!existsSync(DIST)) throw new Error('dist/cli.js is missing: run npm run build (npm test does)');
  const child = spawn(process.execPath, [BIN, ...args], { env: { ...process.env, ...env }, stdio: 'pipe' });
  let out = '';
  let err = '';
  child.stdout.on('data', (d: Buffer) => (out += d.toString()));
  child.stderr.on('data', (d: Buffer) => (err += d.toString()));
  const exit = new Promise<{ code: number | null; signal: NodeJS.Signals | null }>((resolve) =>
    child.on('exit', (code, signal) => resolve({ code, signal })),
  );
  return { child, stdout: () => out, stderr: () => err, exit };
}

/** Runs to the end; a run still going after `timeoutMs` is killed and fails the test. */
export async function runCli(args: string[], env: Record<string, string> = {}, timeoutMs = 60_000) {
  const run = startCli(args, env);
  let timer: NodeJS.Timeout | undefined;
  const deadline = new Promise<never>((_, reject) => {
    timer = setTimeout(() => {
      run.child.kill('SIGKILL');
      reject(new Error(`tapedeck ${args.join(' ')} did not exit within ${timeoutMs} ms`));
    }, timeoutMs);
  });
  try {
    const { code } = await Promise.race([run.exit, deadline]);
    return { code, stdout: run.stdout(), stderr: run.stderr() };
  } finally {
    clearTimeout(timer);
  }
}
