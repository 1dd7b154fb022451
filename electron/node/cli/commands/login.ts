/**
 * `tapedeck login`: the OAuth authorization-code flow from a terminal. --manual prints the authorize
 * URL and reads back the address the browser was redirected to; otherwise an http loopback callback
 * is awaited. Tokens go to the token file (mode 0600) and are never printed.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Dialect } from '../../../../shared/protocol/services.js';
import { DEFAULT_ENDPOINTS, parseBaseUrl } from '../../auth/endpoints.js';
import { buildAuthorizeUrl, codeFromRedirect, newOAuthState } from '../../auth/oauth-flow.js';
import { exchangeCode } from '../../auth/token-endpoint.js';
import { defaultTokenFile, writeTokenFile } from '../../auth/token-file.js';
import { parseFlags } from '../args.js';
import { UserError } from '../errors.js';
import { waitForLoopbackRedirect } from '../loopback-callback.js';

export const LOGIN_HELP = `usage: tapedeck login --provider schwab|tdameritrade [--manual] [--callback URL]
                     [--token-file FILE] [--app-key K] [--app-secret S] [--api-base URL] [--auth-base URL]

Signs in through the broker's page and writes the token file (mode 0600). The callback URL must
be the one registered for the app (schwab: https://127.0.0.1:PORT). With --manual, open the
printed URL, log in, and paste back the address the browser ends up on.`;

const DEFAULT_CALLBACK: Record<Dialect, string> = {
  schwab: 'https://127.0.0.1:8182',
  tdameritrade: 'http://127.0.0.1:8182',
};

function readLine(prompt: string): Promise<string> {
  return new Promise((resolve, reject) => {
    const rl = createInterface({ input: process.stdin, output: process.stdin.isTTY ? process.stderr : undefined });
    let answered = false;
    if (process.stdin.isTTY) process.stderr.write(prompt);
    rl.once('line', (line) => {
      answered = true;
      rl.close();
      resolve(line);
    });
    rl.once('close', () => {
      if (!answered) reject(new UserError('login: no redirected URL was given', 1));
    });
  });
}

function openBrowser(url: string): void {
  const cmd = process.platform === 'darwin' ? 'open' : process.platform === 'win32' ? 'explorer' : 'xdg-open';
  try {
    spawn(cmd, [url], { stdio: 'ignore', detached: true }).on('error', () => undefined).unref();
  } catch {
    // Printing the URL below is the fallback.
  }
}

export async function loginCommand(argv: string[]): Promise<number> {
  const f = parseFlags('login', argv, {
    provider: { type: 'string' },
    manual: { type: 'boolean', default: false },
    callback: { type: 'string' },
    'token-file': { type: 'string' },
    'app-key': { type: 'string' },
    'app-secret': { type: 'string' },
    'api-base': { type: 'string' },
    'auth-base': { type: 'string' },
  });
  if (f.help) {
    console.log(LOGIN_HELP);
    return 0;
  }
  const provider = f.provider;
  if (provider !== 'schwab' && provider !== 'tdameritrade') {
    throw new UserError('login: --provider must be schwab or tdameritrade (demo needs no login)');
  }
  const appKey = f['app-key'] ?? process.env.TAPEDECK_APP_KEY ?? '';
  const appSecret = f['app-secret'] ?? process.env.TAPEDECK_APP_SECRET ?? '';
  if (!appKey) throw new UserError('login: the app key is required (--app-key or TAPEDECK_APP_KEY)');
  if (provider === 'schwab' && !appSecret) throw new UserError('login: schwab needs the app secret (--app-secret or TAPEDECK_APP_SECRET)');
  const defaults = DEFAULT_ENDPOINTS[provider];
  const apiBase = f['api-base'] ? parseBaseUrl(f['api-base'], '--api-base') : defaults.apiBase;
  const authBase = f['auth-base'] ? parseBaseUrl(f['auth-base'], '--auth-base') : defaults.authBase;
  const callback = f.callback ?? DEFAULT_CALLBACK[provider];
  try {
    new URL(callback);
  } catch {
    throw new UserError(`login: --callback '${callback}' is not a URL`);
  }
  const tokenFile = f['token-file'] ?? defaultTokenFile(provider);
  const state = newOAuthState();
  const authorizeUrl = buildAuthorizeUrl({ dialect: provider, authBase, appKey, redirectUri: callback, state });

  let redirected: string;
  const loopback = !f.manual && new URL(callback).protocol === 'http:';
  if (loopback) {
    console.log(`Opening the ${provider} login page. If no browser opens, visit:\n${authorizeUrl}`);
    const waiting = waitForLoopbackRedirect(callback, { state, timeoutMs: 5 * 60_000 });
    openBrowser(authorizeUrl);
    redirected = await waiting.catch((err: Error) => {
      throw new UserError(`login: ${err.message}`, 1);
    });
  } else {
    if (!f.manual) console.error(`(${callback} is https, so the redirect cannot be caught here: paste it below)`);
    console.log(`Open this URL in a browser and log in:\n${authorizeUrl}`);
    redirected = await readLine('Paste the address your browser was sent to: ');
  }

  let code: string;
  try {
    code = codeFromRedirect(redirected, state, callback);
  } catch (err) {
    throw new UserError(`login: ${(err as Error).message}`, 1);
  }
  try {
    const tokens = await exchangeCode({ dialect: provider, apiBase, app: { appKey, appSecret } }, code, callback);
    writeTokenFile(tokenFile, tokens);
    const refreshUntil = tokens.refresh_expires_at ? `; log in again before ${new Date(tokens.refresh_expires_at).toISOString()}` : '';
    console.log(`Logged in to ${provider}. Tokens saved to ${tokenFile}${refreshUntil}.`);
    return 0;
  } catch (err) {
    throw new UserError(`login: ${(err as Error).message}`, 1);
  }
}
