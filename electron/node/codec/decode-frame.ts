/**
 * Frame text → typed events. One frame may carry responses, notifications and data for several
 * services (docs/protocol/tdameritrade.md §4, docs/protocol/schwab.md §4). Numeric field keys become the registry's snake_case
 * names; nested payloads become structures. Nothing here throws: a frame that is not JSON, names an
 * unknown service or field, has an odd shape, is too large or too deeply nested, or carries lone
 * surrogates yields what could be decoded plus `problems` (whose details are safe to print).
 *
 * Bounded against a hostile server: only known services are cached, a frame over MAX_DECODED_CHARS
 * is not decoded, a field value nested deeper than MAX_VALUE_DEPTH is left out (JSON.stringify
 * recurses, and ~5,000 levels overflow the stack), and strings that would not be valid UTF-8 have
 * their lone surrogates replaced by U+FFFD. The frame is archived verbatim either way.
 */
import type { DecodedFrame, FieldValue, ItemMeta, MarketUpdate, StreamNotice, StreamResponse } from '../../../shared/market.js';
import type { FieldDef } from '../../../shared/protocol/field-types.js';
import { serviceSpec, type Dialect, type ServiceSpec } from '../../../shared/protocol/services.js';
import { isWellFormed, safeText, toWellFormed } from '../../../shared/safe-text.js';
import { repairJson } from './lenient-json.js';
import { decodeBook, decodeCandles, decodeScreener, parseActives } from './nested.js';

interface ServiceDecoder {
  spec: ServiceSpec;
  byId: readonly (FieldDef | undefined)[];
}

/** Frames longer than this (characters) are archived but not decoded. Real frames stay far below. */
export const MAX_DECODED_CHARS = 8 * 1024 * 1024;
/** Field values nested deeper than this are left out of the update (archived in the frame). */
export const MAX_VALUE_DEPTH = 64;

/** Decoders of known services only: a name the registry does not know is never kept. */
const decoders: Record<Dialect, Map<string, ServiceDecoder>> = { schwab: new Map(), tdameritrade: new Map() };

function decoderFor(dialect: Dialect, service: string): ServiceDecoder | null {
  let d = decoders[dialect].get(service);
  if (d === undefined) {
    const spec = serviceSpec(dialect, service);
    if (!spec) return null;
    d = { spec, byId: spec.fields };
    decoders[dialect].set(service, d);
  }
  return d;
}

/** Decoders held for known services (for tests of the bound: unknown names are never cached). */
export function cachedDecoderCount(): number {
  return decoders.schwab.size + decoders.tdameritrade.size;
}

/** True when `value` nests deeper than `max` arrays or objects; iterative, and stops at the limit. */
export function nestedDeeperThan(value: unknown, max: number): boolean {
  const stack: { v: unknown; depth: number }[] = [{ v: value, depth: 1 }];
  while (stack.length > 0) {
    const { v, depth } = stack.pop()!;
    if (typeof v !== 'object' || v === null) continue;
    if (depth > max) return true;
    for (const k in v) {
      const child = (v as Record<string, unknown>)[k];
      if (typeof child === 'object' && child !== null) stack.push({ v: child, depth: depth + 1 });
    }
  }
  return false;
}

/** A primitive as text; objects (whose toString a server can replace with a non-function) give ''. */
const str = (v: unknown): string => (typeof v === 'string' ? v : typeof v === 'number' || typeof v === 'boolean' ? String(v) : '');

type Obj = Record<string, unknown>;
const isObj = (v: unknown): v is Obj => typeof v === 'object' && v !== null && !Array.isArray(v);
const num = (v: unknown): number | null =>
  typeof v === 'number' && Number.isFinite(v) ? v : typeof v === 'string' && v !== '' && Number.isFinite(Number(v)) ? Number(v) : null;

/** Decimal field key → number, or -1; cheaper than a regex on the hot path. */
function fieldNumber(k: string): number {
  const len = k.length;
  if (len === 0 || len > 4) return -1;
  let n = 0;
  for (let i = 0; i < len; i++) {
    const c = k.charCodeAt(i) - 48;
    if (c < 0 || c > 9) return -1;
    n = n * 10 + c;
  }
  return n;
}

function emptyFrame(): DecodedFrame {
  return { updates: [], responses: [], notices: [], heartbeat: null, problems: [] };
}

class FrameDecoder {
  readonly out = emptyFrame();
  private reported: Set<string> | null = null;

  constructor(private readonly dialect: Dialect) {}

  problem(kind: DecodedFrame['problems'][number]['kind'], detail: string, rawService?: string): void {
    const service = rawService === undefined ? undefined : safeText(rawService, 64);
    const id = `${kind}\u0000${service ?? ''}\u0000${detail}`;
    this.reported ??= new Set();
    if (this.reported.has(id)) return;
    this.reported.add(id);
    this.out.problems.push(service === undefined ? { kind, detail } : { kind, detail, service });
  }

  entry(entry: unknown): void {
    if (!isObj(entry) || typeof entry.service !== 'string') {
      this.problem('unexpected-shape', 'a data entry without a service');
      return;
    }
    const service = entry.service;
    const decoder = decoderFor(this.dialect, service);
    if (!decoder) {
      this.problem('unknown-service', `unknown ${this.dialect} service ${safeText(service, 40)}`, service);
      return;
    }
    const ts = num(entry.timestamp) ?? 0;
    const content = entry.content;
    if (!Array.isArray(content)) {
      // A content-less data entry (e.g. a bare acknowledgement) carries no updates.
      if (content !== undefined) this.problem('unexpected-shape', 'content is not an array', service);
      return;
    }
    for (let i = 0; i < content.length; i++) this.item(decoder, service, ts, content[i]);
  }

  private item(decoder: ServiceDecoder, service: string, ts: number, item: unknown): void {
    if (!isObj(item) || typeof item.key !== 'string') {
      this.problem('bad-item', 'an item without a string key', service);
      return;
    }
    const fields: Record<string, FieldValue> = {};
    const meta: ItemMeta = {};
    const { byId, spec } = decoder;
    for (const k in item) {
      if (k === 'key') continue;
      const value = item[k];
      const id = fieldNumber(k);
      if (id >= 0) {
        const def = byId[id];
        if (!def) {
          this.problem('unknown-field', `field ${k}`, service);
          continue;
        }
        if (def.type === 'json') continue; // decoded into a structure below
        if (typeof value === 'object' && value !== null) {
          if (nestedDeeperThan(value, MAX_VALUE_DEPTH)) {
            this.problem('too-deep', `field ${k} nested deeper than ${MAX_VALUE_DEPTH} levels was left out`, service);
            continue;
          }
          fields[def.name] = JSON.stringify(value);
        } else {
          fields[def.name] = value === undefined ? null : (value as FieldValue);
        }
        continue;
      }
      switch (k) {
        case 'delayed':
          if (typeof value === 'boolean') meta.delayed = value;
          break;
        case 'assetMainType':
          if (typeof value === 'string') meta.assetMainType = value;
          break;
        case 'assetSubType':
          if (typeof value === 'string') meta.assetSubType = value;
          break;
        case 'cusip':
          if (typeof value === 'string') meta.cusip = value;
          break;
        case 'seq':
          if (typeof value === 'number') meta.seq = value;
          break;
        default:
          this.problem('unknown-field', `field ${safeText(k, 40)}`, service);
      }
    }
    const update: MarketUpdate = { service, key: item.key, ts, fields, meta };
    switch (spec.structure) {
      case 'book':
        update.book = decodeBook(item);
        break;
      case 'actives': {
        const text = item['1'];
        if (typeof text === 'string') {
          const parsed = parseActives(text, service === 'ACTIVES_OPTIONS');
          if (parsed) update.actives = parsed;
          else this.problem('bad-item', 'an actives string that does not parse', service);
        }
        break;
      }
      case 'screener':
        if (item['4'] !== undefined) update.screener = decodeScreener(item['4']);
        break;
      case 'chart-history':
        update.candles = decodeCandles(item['3']);
        break;
      default:
        break;
    }
    this.out.updates.push(update);
  }

  response(r: unknown): void {
    if (!isObj(r)) {
      this.problem('unexpected-shape', 'a response that is not an object');
      return;
    }
    const content = isObj(r.content) ? r.content : {};
    const code = num(content.code);
    if (code === null) this.problem('unexpected-shape', 'a response without a code');
    const response: StreamResponse = {
      service: typeof r.service === 'string' ? r.service : '',
      command: typeof r.command === 'string' ? r.command : '',
      requestId: str(r.requestid),
      ts: num(r.timestamp) ?? 0,
      code: code ?? -1,
      msg: typeof content.msg === 'string' ? content.msg : '',
    };
    this.out.responses.push(response);
  }

  notify(n: unknown): void {
    if (!isObj(n)) {
      this.problem('unexpected-shape', 'a notify item that is not an object');
      return;
    }
    if (n.heartbeat !== undefined) {
      const hb = num(n.heartbeat);
      if (hb !== null) this.out.heartbeat = hb;
      else this.problem('unexpected-shape', 'a heartbeat without a time');
      return;
    }
    const content = isObj(n.content) ? n.content : {};
    const notice: StreamNotice = {
      service: typeof n.service === 'string' ? n.service : '',
      ts: num(n.timestamp) ?? 0,
      code: num(content.code) ?? -1,
      msg: typeof content.msg === 'string' ? content.msg : '',
    };
    this.out.notices.push(notice);
  }
}

export function decodeFrame(text: string, dialect: Dialect): DecodedFrame {
  const d = new FrameDecoder(dialect);
  if (text.length > MAX_DECODED_CHARS) {
    d.problem('too-large', `a frame of ${text.length.toLocaleString('en-US')} characters was not decoded (the limit is ${MAX_DECODED_CHARS.toLocaleString('en-US')})`);
    return d.out;
  }
  try {
    decodeInto(d, text);
  } catch (err) {
    // Not expected (every step above is guarded); a frame must still never take the process down.
    d.problem('decode-failed', `the decoder failed: ${safeText(err instanceof Error ? err.message : err, 120)}`);
  }
  // Lone surrogates reach decoded strings only through \uD8xx-style escapes (or a text that already had them).
  if ((text.includes('\\u') || !isWellFormed(text)) && repairStrings(d.out)) {
    d.problem('invalid-text', 'lone surrogates (not valid UTF-8) were replaced by U+FFFD in the decoded values');
  }
  return d.out;
}

/** How a frame fared, as the archive flags it (recorder FRAME_FLAGS): decoded strings repaired, or not decoded at all. */
export function decodeOutcome(decoded: DecodedFrame): { repairedText: boolean; notDecoded: boolean } {
  let repairedText = false;
  let notDecoded = false;
  for (const p of decoded.problems) {
    if (p.kind === 'invalid-text') repairedText = true;
    else if (p.kind === 'malformed-json' || p.kind === 'too-large' || p.kind === 'decode-failed') notDecoded = true;
  }
  return { repairedText, notDecoded };
}

function decodeInto(d: FrameDecoder, text: string): void {
  let parsed: unknown;
  try {
    parsed = JSON.parse(text);
  } catch (err) {
    parsed = repairJson(text);
    if (parsed === null) {
      // V8's message quotes the text around the error: server text, so made safe to print.
      d.problem('malformed-json', `not JSON (${safeText((err as Error).message, 80)})`);
      return;
    }
    d.problem('repaired-json', 'invalid characters replaced');
  }
  if (!isObj(parsed)) {
    d.problem('unexpected-shape', 'the frame is not a JSON object');
    return;
  }
  let known = false;
  for (const k of ['data', 'snapshot'] as const) {
    const list = parsed[k];
    if (Array.isArray(list)) {
      known = true;
      for (const e of list) d.entry(e);
    }
  }
  if (Array.isArray(parsed.response)) {
    known = true;
    for (const r of parsed.response) d.response(r);
  }
  if (Array.isArray(parsed.notify)) {
    known = true;
    for (const n of parsed.notify) d.notify(n);
  }
  if (!known) {
    // Items seen without their envelope (docs/protocol/tdameritrade.md §4.3 code 12; areed's bare data items).
    if (typeof parsed.service === 'string' && Array.isArray(parsed.content)) {
      d.problem('unexpected-shape', 'a data entry without the {"data":[...]} envelope', parsed.service);
      d.entry(parsed);
    } else if (typeof parsed.service === 'string' && isObj(parsed.content)) {
      d.problem('unexpected-shape', 'a notice without the {"notify":[...]} envelope', parsed.service);
      d.notify(parsed);
    } else if (parsed.heartbeat !== undefined) {
      d.notify(parsed);
    } else {
      d.problem('unexpected-shape', 'no response, notify, snapshot or data key');
    }
  }
}

/**
 * Replaces lone surrogates in every string of a decoded frame that can reach SQLite or a screen;
 * true when one was found. Runs only for frames that can hold them (rare), so it can be thorough.
 */
function repairStrings(out: DecodedFrame): boolean {
  let changed = false;
  const fix = (s: string): string => {
    const w = toWellFormed(s);
    if (w !== s) changed = true;
    return w;
  };
  const fixOpt = (s: string | null) => (s === null ? null : fix(s));
  for (const u of out.updates) {
    u.key = fix(u.key);
    for (const name in u.fields) {
      const v = u.fields[name];
      if (typeof v === 'string') u.fields[name] = fix(v);
    }
    const m = u.meta;
    if (m.assetMainType !== undefined) m.assetMainType = fix(m.assetMainType);
    if (m.assetSubType !== undefined) m.assetSubType = fix(m.assetSubType);
    if (m.cusip !== undefined) m.cusip = fix(m.cusip);
    for (const side of u.book ? [u.book.bids, u.book.asks] : []) {
      for (const level of side) for (const e of level.entries) e.venue = fix(e.venue);
    }
    if (u.actives) {
      u.actives.id = fix(u.actives.id);
      u.actives.startTime = fix(u.actives.startTime);
      u.actives.displayTime = fix(u.actives.displayTime);
      for (const g of u.actives.groups) {
        for (const e of g.entries) {
          e.symbol = fix(e.symbol);
          e.description = fixOpt(e.description);
        }
      }
    }
    for (const item of u.screener ?? []) {
      item.symbol = fix(item.symbol);
      item.description = fixOpt(item.description);
    }
  }
  for (const r of out.responses) {
    r.service = fix(r.service);
    r.command = fix(r.command);
    r.requestId = fix(r.requestId);
    r.msg = fix(r.msg);
  }
  for (const n of out.notices) {
    n.service = fix(n.service);
    n.msg = fix(n.msg);
  }
  return changed;
}
