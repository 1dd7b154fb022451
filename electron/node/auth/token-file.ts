/**
 * Token file storage: written atomically (writeFileAtomic) with mode 0600 so a crash mid-write
 * never leaves a truncated file and a rotated refresh token is never lost.
 */
import { existsSync, mkdirSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { dirname, join } from 'node:path';
import { writeFileAtomic } from '../fs/atomic-write.js';
import { parseTokenSet, type TokenProvider, type TokenSet } from './tokens.js';

export function defaultTokenFile(provider: TokenProvider): string {
  const base = process.env.XDG_CONFIG_HOME || join(homedir(), '.config');
  return join(base, 'tapedeck', `${provider}-token.json`);
}

export class TokenFileError extends Error {}

export function readTokenFile(path: string): TokenSet | null {
  if (!existsSync(path)) return null;
  let parsed: unknown;
  try {
    parsed = JSON.parse(readFileSync(path, 'utf8'));
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
  mkdirSync(dirname(path), { recursive: true, mode: 0o700 });
  writeFileAtomic(path, JSON.stringify(tokens, null, 2) + '\n', { mode: 0o600 });
}
