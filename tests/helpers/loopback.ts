/**
 * `tapedeck serve` answers on a per-launch `*.localhost` name. Browsers resolve those to loopback
 * themselves; Node's resolver does not, so Node-side tests dial 127.0.0.1 and send the real name
 * in the Host header, exactly what a browser sends.
 */
import { request, type IncomingHttpHeaders } from 'node:http';
import { createConnection, type LookupFunction, type NetConnectOpts } from 'node:net';

export const loopbackLookup: LookupFunction = (_hostname, options, callback) => {
  if (options.all) callback(null, [{ address: '127.0.0.1', family: 4 }]);
  else callback(null, '127.0.0.1', 4);
};

/** For ws clients: the socket goes to 127.0.0.1 whatever the URL's host name. */
export const wsLoopback = {
  createConnection: ((opts: NetConnectOpts) => createConnection({ ...opts, host: '127.0.0.1' } as NetConnectOpts)) as typeof createConnection,
};

export interface Reply {
  status: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** A GET as a browser at `url` would send it (Host from the URL), with extra headers. */
export function httpGet(url: string, headers: Record<string, string> = {}): Promise<Reply> {
  return new Promise((resolve, reject) => {
    const req = request(url, { headers, lookup: loopbackLookup, agent: false }, (res) => {
      let body = '';
      res.setEncoding('utf8');
      res.on('data', (d: string) => (body += d));
      res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      res.on('error', reject);
    });
    req.on('error', reject);
    req.end();
  });
}
