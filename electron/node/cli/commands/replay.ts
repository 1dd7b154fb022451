/**
 * `tapedeck replay`: reads the frames archive back through the codec. Prints one JSON line per
 * update (NDJSON) on stdout, or with --out rebuilds every table into a new database from the
 * raw frames alone.
 */
import { once } from 'node:events';
import { existsSync } from 'node:fs';
import type { Dialect } from '../../../../shared/protocol/services.js';
import { decodeOutcome } from '../../codec/decode-frame.js';
import { Recorder } from '../../recorder/recorder.js';
import { replayFrames } from '../../replay/replay.js';
import { QuoteState } from '../../state/quote-state.js';
import { numberFlag, parseFlags, requireFlag, TIME_HELP, timeFlag } from '../args.js';
import { UserError } from '../errors.js';
import { requireDatabaseFile, requireWritableFile } from '../paths.js';

export const REPLAY_HELP = `usage: tapedeck replay --db FILE [--speed X] [--from TIME] [--to TIME] [--out NEW_DB]

Replays the recorded frames. --speed 1 paces them as they arrived, 10 ten times faster,
0 (the default) as fast as possible. Without --out every decoded update is printed as one JSON
line; with --out the frames are decoded into a new database (all tables rebuilt from the archive).
${TIME_HELP}`;

export async function replayCommand(argv: string[]): Promise<number> {
  const f = parseFlags(argv, {
    db: { type: 'string' },
    speed: { type: 'string', default: '0' },
    from: { type: 'string' },
    to: { type: 'string' },
    out: { type: 'string' },
  });
  if (f.help) {
    console.log(REPLAY_HELP);
    return 0;
  }
  const dbPath = requireFlag(f.db, '--db');
  const speed = numberFlag(f.speed, '--speed', { min: 0 }) ?? 0;
  const from = timeFlag(f.from, '--from');
  const to = timeFlag(f.to, '--to');
  requireDatabaseFile(dbPath);

  let out: Recorder<void> | null = null;
  if (f.out) {
    if (existsSync(f.out)) throw new UserError(`${f.out} already exists; choose a new file for --out`);
    requireWritableFile(f.out, 'database file');
    try {
      out = Recorder.open(f.out);
    } catch (err) {
      throw new UserError((err as Error).message);
    }
  }
  const begun = new Set<number>();
  // Merged state as the engine keeps it (one per dialect, like one engine per provider): the
  // rebuilt latest rows come from it, as they do when recording live.
  const states = new Map<Dialect, QuoteState>();
  const abort = new AbortController();
  const onSignal = () => abort.abort();
  process.once('SIGINT', onSignal);
  process.once('SIGTERM', onSignal);
  // stdout may be a pipe closed early (| head): stop quietly instead of crashing.
  process.stdout.on('error', () => abort.abort());
  try {
    const result = await replayFrames({
      dbPath,
      speed,
      from,
      to,
      signal: abort.signal,
      onFrame: (frame) => {
        for (const p of frame.decoded.problems) process.stderr.write(`! frame ${frame.id}: ${p.kind}: ${p.detail}\n`);
        if (out) {
          // Each source connection (its sessions row id) is one connection of the rebuilt file.
          const connectionId = frame.sessionId;
          if (!begun.has(connectionId)) {
            begun.add(connectionId);
            out.beginConnection({ connectionId, provider: 'replay', dialect: frame.dialect, url: `${dbPath}#session=${connectionId}`, startedAt: frame.receivedAt });
          }
          let state = states.get(frame.dialect);
          if (!state) states.set(frame.dialect, (state = new QuoteState(frame.dialect)));
          const merged = frame.decoded.updates.map((u) => state.apply(u, frame.receivedAt));
          // Binary and non-UTF-8 frames keep their bytes; the flags of the source row are earned again by decoding.
          const { bytes, binary } = frame;
          out.record({ connectionId, receivedAt: frame.receivedAt, text: frame.text, bytes, binary, ...decodeOutcome(frame.decoded), updates: frame.decoded.updates, merged });
          return;
        }
        if (frame.decoded.updates.length === 0) return;
        const lines = frame.decoded.updates.map((u) => JSON.stringify({ receivedAt: frame.receivedAt, ...u })).join('\n') + '\n';
        // Respect a slow reader (a pipe into another tool): wait for the buffer to drain.
        if (!process.stdout.write(lines)) return once(process.stdout, 'drain').then(() => undefined);
      },
    });
    if (out) {
      for (const id of begun) out.endConnection(id, 'replayed');
      console.error(`replayed ${result.frames} frames, ${result.updates} updates into ${f.out}`);
    }
    return 0;
  } catch (err) {
    throw new UserError((err as Error).message);
  } finally {
    out?.close();
    process.off('SIGINT', onSignal);
    process.off('SIGTERM', onSignal);
  }
}
