/** `tapedeck serve`: the same UI in a browser, bound to 127.0.0.1, on a per-launch host name, behind a per-launch secret. */
import { homedir } from 'node:os';
import { join } from 'node:path';
import { startServer } from '../../web/serve.js';
import { numberFlag, parseFlags } from '../args.js';
import { UserError } from '../errors.js';
import { packageVersion } from '../package-version.js';
import { requireFolder } from '../paths.js';

export const SERVE_HELP = `usage: tapedeck serve [--port N] [--user-data DIR] [--rate N] [--source-maps]

Serves the Tapedeck UI to a browser on 127.0.0.1 and prints, on one line,
"listening on http://tapedeck-XXXX.localhost:PORT/?token=SECRET": open that address. The host
name and the secret change at every launch; the secret becomes a cookie that only this host name
receives, so other local web servers and other pages in the browser never see it. Browsers
resolve *.localhost themselves (Chrome, Edge, Firefox; Safari does not yet). Settings,
watchlists, secrets (0600) and the database live in --user-data (default ~/.config/tapedeck/app),
kept 0700. Choose the provider in Settings; demo data streams by default (--rate sets the
simulator's updates per second). For a broker login in browser mode, register the callback URL
http://127.0.0.1:PORT/oauth/callback and use a fixed --port. --source-maps also serves the
renderer's source maps (for debugging).`;

export async function serveCommand(argv: string[]): Promise<number> {
  const f = parseFlags(argv, {
    port: { type: 'string', default: '0' },
    'user-data': { type: 'string' },
    rate: { type: 'string' },
    'source-maps': { type: 'boolean', default: false },
  });
  if (f.help) {
    console.log(SERVE_HELP);
    return 0;
  }
  const port = numberFlag(f.port, '--port', { min: 0, max: 65535, integer: true }) ?? 0;
  const userDataPath = f['user-data'] ?? join(process.env.XDG_CONFIG_HOME || join(homedir(), '.config'), 'tapedeck', 'app');
  const rate = numberFlag(f.rate, '--rate', { min: 1 });
  requireFolder(userDataPath, '--user-data');
  let server;
  try {
    server = await startServer({
      port,
      userDataPath,
      appVersion: packageVersion(),
      sourceMaps: f['source-maps'],
      demo: rate ? { rate } : undefined,
    });
  } catch (err) {
    throw new UserError((err as Error).message);
  }
  console.log(`listening on ${server.openUrl}`);
  const handle = server;
  return new Promise((resolve) => {
    const stop = () => void handle.close().then(() => resolve(0));
    process.once('SIGINT', stop);
    process.once('SIGTERM', stop);
  });
}
