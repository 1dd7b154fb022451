/**
 * A plain HTTP reverse proxy on 127.0.0.1 in front of a real server (the simulator), keeping every
 * exchange: what a client really sent (headers, body) and what it got back. Point a client's
 * `--api-base` at it to see which credentials went over the wire and which tokens came back.
 */
import { createServer, request, type IncomingHttpHeaders } from 'node:http';
import type { AddressInfo } from 'node:net';

export interface Exchange {
  method: string;
  path: string;
  headers: IncomingHttpHeaders;
  body: string;
  status: number;
  response: string;
}

export interface RecordingProxy {
  url: string;
  exchanges: Exchange[];
  close(): Promise<void>;
}

export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const to = new URL(target);
  const exchanges: Exchange[] = [];
  const server = createServer((req, res) => {
    const chunks: Buffer[] = [];
    req.on('data', (c: Buffer) => chunks.push(c));
    req.on('end', () => {
      const body = Buffer.concat(chunks);
      const headers = { ...req.headers, host: to.host };
      const out = request({ host: to.hostname, port: to.port, method: req.method, path: req.url, headers }, (answer) => {
        const back: Buffer[] = [];
        answer.on('data', (c: Buffer) => back.push(c));
        answer.on('end', () => {
          const response = Buffer.concat(back);
          exchanges.push({ method: req.method ?? '', path: req.url ?? '', headers: req.headers, body: body.toString(), status: answer.statusCode ?? 0, response: response.toString() });
          res.writeHead(answer.statusCode ?? 502, answer.headers).end(response);
        });
      });
      out.on('error', (err) => res.writeHead(502).end(err.message));
      out.end(body);
    });
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  return {
    url: `http://127.0.0.1:${port}`,
    exchanges,
    close: () => new Promise<void>((resolve) => {
      server.closeAllConnections();
      server.close(() => resolve());
    }),
  };
}

/** The app credentials of each request that carried HTTP Basic authentication ("key:secret"). */
export function basicCredentials(exchanges: Exchange[]): string[] {
  return exchanges
    .map((e) => /^Basic (\S+)$/.exec(e.headers.authorization ?? '')?.[1])
    .filter((b): b is string => b !== undefined)
    .map((b) => Buffer.from(b, 'base64').toString());
}
