/**
 * The end-to-end benchmark's sender, a separate process: a loopback streamer that answers LOGIN and
 * SUBS like the Schwab server and then replays the corpus as fast as the client takes it, stamping
 * each data entry with its send time so the receiver can measure sent → committed.
 * Usage: node --import tsx bench/sender.ts <updates> <seed>; prints "ready <port>".
 */
import type { AddressInfo } from 'node:net';
import { WebSocketServer } from 'ws';
import { buildCorpus } from './corpus.js';

const updates = Number(process.argv[2] ?? 200_000);
const seed = Number(process.argv[3] ?? 42);
/** Updates per second to pace at; 0 = as fast as the client takes them. */
const rate = Number(process.argv[4] ?? 0);
const corpus = buildCorpus({ dialect: 'schwab', symbols: 2000, updates, seed });
// Split each frame at its timestamp so the send time can be spliced in cheaply.
const parts = corpus.frames.map((f) => {
  const m = /^(\{"data":\[\{"service":"[A-Z_]+","timestamp":)\d+(,.*)$/s.exec(f);
  if (!m) throw new Error('unexpected corpus frame');
  return [m[1]!, m[2]!] as const;
});

let cpuAtStart = process.cpuUsage();
const wss = new WebSocketServer({ host: '127.0.0.1', port: 0, perMessageDeflate: false });
wss.on('connection', (ws) => {
  let started = false;
  ws.on('message', (data) => {
    const msg = JSON.parse(data.toString()) as { requests: { service: string; command: string; requestid: string }[] };
    for (const r of msg.requests) {
      ws.send(JSON.stringify({ response: [{ service: r.service, command: r.command, requestid: r.requestid, timestamp: Date.now(), content: { code: 0, msg: r.command === 'LOGIN' ? 'server=bench;status=NP' : `${r.command} command succeeded` } }] }));
      if (r.command === 'SUBS' && !started) {
        started = true;
        void blast();
      }
    }
  });
  async function blast() {
    cpuAtStart = process.cpuUsage();
    const perFrame = corpus.updates / parts.length;
    const start = Date.now();
    let i = 0;
    for (const [head, tail] of parts) {
      // Backpressure: wait while the client is not reading.
      while (ws.bufferedAmount > 4 << 20) await new Promise((r) => setTimeout(r, 1));
      if (rate > 0) {
        const due = start + ((i * perFrame) / rate) * 1000;
        if (due > Date.now() + 2) await new Promise((r) => setTimeout(r, due - Date.now()));
      }
      ws.send(head + Date.now() + tail);
      i++;
    }
    const cpu = process.cpuUsage(cpuAtStart);
    process.send?.({ done: corpus.frames.length, cpuMs: (cpu.user + cpu.system) / 1000 });
  }
});
wss.on('listening', () => {
  const port = (wss.address() as AddressInfo).port;
  console.log(`ready ${port} ${corpus.updates} ${corpus.frames.length} ${corpus.bytes}`);
});
process.on('SIGTERM', () => wss.close(() => process.exit(0)));
