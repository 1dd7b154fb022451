/**
 * `tapedeck login`: the OAuth authorization-code flow from a terminal. --manual prints the authorize
 * URL and reads back the address the browser was redirected to; otherwise an http loopback callback
 * is awaited. Tokens go to the token file (mode 0600) and are never printed.
 */
import { spawn } from 'node:child_process';
import { createInterface } from 'node:readline';
import type { Dialect } from '../../../../shared/protocol/services.js';
import { DEFAULT_ENDPOINTS } from '../../auth/endpoints.js';
import { buildAuthorizeUrl, codeFromRedirect, newOAuthState } from '../../auth/oauth-flow.js';
import { exchangeCode } from '../../auth/token-endpoint.js';
import { defaultTokenFile, writeTokenFile } from '../../auth/token-file.js';
import { PathError } from '../../fs/ensure-dir.js';
import { baseUrlFlag, parseFlags } from '../args.js';
import { applyCaFileFlag, CA_FILE_HELP } from '../ca-file-flag.js';
import { UsageError, UserError } from '../errors.js';
import { waitForLoopbackRedirect } from '../loopback-callback.js';
import { requireFileTarget } from '../paths.js';

export const LOGIN_HELP = `usage: tapedeck login --provider schwab|tdameritrade [--manual] [--callback URL]
                     [--token-file FILE] [--app-key K] [--app-secret S] [--api-base URL] [--auth-base URL]
                     [--ca-file FILE]

Signs in through the broker's page and writes the token file (mode 0600). The callback URL must
be the one registered for the app (schwab: https://127.0.0.1:PORT). With --manual, open the
printed URL, log in, and paste back the address the browser ends up on. ${CA_FILE_HELP}`;

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
      if (!answered) reject(new UserError('no redirected URL was given'));
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
  const f = parseFlags(argv, {
    provider: { type: 'string' },
    manual: { type: 'boolean', default: false },
    callback: { type: 'string' },
    'token-file': { type: 'string' },
    'app-key': { type: 'string' },
    'app-secret': { type: 'string' },
    'api-base': { type: 'string' },
    'auth-base': { type: 'string' },
    'ca-file': { type: 'string' },
  });
  if (f.help) {
    console.log(LOGIN_HELP);
    return 0;
  }
  const provider = f.provider;
  if (provider !== 'schwab' && provider !== 'tdameritrade') {
    throw new UsageError(`--provider must be schwab or tdameritrade (demo needs no login)${provider === undefined ? '' : `, not '${provider}'`}`);
  }
  const appKey = f['app-key'] ?? process.env.TAPEDECK_APP_KEY ?? '';
  const appSecret = f['app-secret'] ?? process.env.TAPEDECK_APP_SECRET ?? '';
  if (!appKey) throw new UsageError('the app key is required (--app-key or TAPEDECK_APP_KEY)');
  if (provider === 'schwab' && !appSecret) throw new UsageError('schwab needs the app secret (--app-secret or TAPEDECK_APP_SECRET)');
  const defaults = DEFAULT_ENDPOINTS[provider];
  const apiBase = baseUrlFlag(f['api-base'], '--api-base') ?? defaults.apiBase;
  const authBase = baseUrlFlag(f['auth-base'], '--auth-base') ?? defaults.authBase;
  const callback = f.callback ?? DEFAULT_CALLBACK[provider];
  const callbackUrl = parseCallback(callback);
  const tokenFile = f['token-file'] ?? defaultTokenFile(provider);
  // Before the browser round trip, not after it: the file must be writable where it is asked for.
  requireFileTarget(tokenFile, 'token file');
  applyCaFileFlag(f['ca-file']);
  const state = newOAuthState();
  const authorizeUrl = buildAuthorizeUrl({ dialect: provider, authBase, appKey, redirectUri: callback, state });

  let redirected: string;
  const loopback = !f.manual && callbackUrl.protocol === 'http:';
  if (loopback) {
    console.log(`Opening the ${provider} login page. If no browser opens, visit:\n${authorizeUrl}`);
    const waiting = waitForLoopbackRedirect(callback, { state, timeoutMs: 5 * 60_000 });
    openBrowser(authorizeUrl);
    redirected = await waiting.catch((err: Error) => {
      throw new UserError(err.message);
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
    throw new UserError((err as Error).message);
  }
  try {
    const tokens = await exchangeCode({ dialect: provider, apiBase, app: { appKey, appSecret } }, code, callback);
    writeTokenFile(tokenFile, tokens);
    const refreshUntil = tokens.refresh_expires_at ? `; log in again before ${new Date(tokens.refresh_expires_at).toISOString()}` : '';
    console.log(`Logged in to ${provider}. Tokens saved to ${tokenFile}${refreshUntil}.`);
    return 0;
  } catch (err) {
    if (err instanceof PathError) throw new UserError(`cannot save the token file: ${err.message}`);
    throw new UserError((err as Error).message);
  }
}

/** The callback must be an http(s) URL with a host: "localhost:8182" parses as a URL of scheme "localhost:". */
function parseCallback(callback: string): URL {
  let url: URL | null = null;
  try {
    url = new URL(callback);
  } catch {
    // Said below.
  }
  if (!url || (url.protocol !== 'http:' && url.protocol !== 'https:') || !url.hostname) {
    throw new UsageError(`--callback must be an http:// or https:// URL such as https://127.0.0.1:8182, not '${callback}'`);
  }
  return url;
}
