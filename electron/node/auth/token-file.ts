/**
 * Token file storage: written atomically (writeFileAtomic) with mode 0600 so a crash mid-write
 * never leaves a truncated file and a rotated refresh token is never lost.
 */
import { readFileSync, statSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { describeFsError, ensureDir } from '../fs/ensure-dir.js';
import { parseTokenSet, type TokenProvider, type TokenSet } from './tokens.js';

export function defaultTokenFile(provider: TokenProvider): string {
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'tapedeck', `${provider}-token.json`);
}

export class TokenFileError extends Error {}

/** The tokens in the file; null when there is no file; a TokenFileError (one line) when it cannot be used. */
export function readTokenFile(path: string): TokenSet | null {
  let text: string;
  try {
    if (statSync(path).isDirectory()) throw new TokenFileError(`token file ${path} is a folder, not a file`);
    text = readFileSync(path, 'utf8');
  } catch (err) {
    if (err instanceof TokenFileError) throw err;
    const code = (err as { code?: string }).code;
    if (code === 'ENOENT') return null;
    throw new TokenFileError(`cannot read token file ${path}: ${describeFsError(err)}`);
  }
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    throw new TokenFileError(`token file ${path} is not valid JSON (${(err as Error).message}); run tapedeck login again`);
  }
  try {
    return parseTokenSet(parsed);
  } catch (err) {
    throw new TokenFileError(`token file ${path} is invalid: ${(err as Error).message}; run tapedeck login again`);
  }
}

export function writeTokenFile(path: string, tokens: TokenSet): void {
  ensureDir(dirname(path), 0o700);
  writeFileAtomic(path, JSON.stringify(tokens, null, 2) + '\n', { mode: 0o600 });
}
