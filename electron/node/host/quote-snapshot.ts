/**
 * Fills new grid rows at once: when level-one keys are subscribed, one REST quotes call (per 500
 * symbols) gives their current values, written only into fields the stream has not filled yet
 * (Engine.applySnapshot), so a row is not blank until its first streamed update and a streamed
 * value is never replaced by an older snapshot.
 */
import { serviceSpec, type Dialect } from '../../../shared/protocol/services.js';
import type { FieldValue } from '../../../shared/market.js';
import type { Engine } from '../engine/engine.js';
import type { SubscriptionChange } from './subscription-planner.js';

/** Level-one services: merged by field (docs/protocol §4.4), which is what a snapshot can fill. */
/** Snapshot rows applied between turns of the event loop. */
const APPLY_SLICE = 200;

const isLevelOne = (dialect: Dialect, service: string) => (service.startsWith('LEVELONE_') || service === 'QUOTE') && serviceSpec(dialect, service)?.delivery === 'change';

export async function fillFromSnapshot(engine: Engine, dialect: Dialect, subscribed: readonly SubscriptionChange[]): Promise<number> {
  const client = engine.marketData;
  if (!client) return 0;
  const serviceOf = new Map<string, string>();
  for (const s of subscribed) if (isLevelOne(dialect, s.service)) for (const k of s.keys) serviceOf.set(k, s.service);
  if (serviceOf.size === 0) return 0;
  const quotes = await client.quotes([...serviceOf.keys()]);
  const knownOf = new Map<string, Set<string | undefined>>();
  let filled = 0;
  for (let i = 0; i < quotes.length; i++) {
    // Thousands of rows at once would hold up the stream on this thread: a slice at a time.
    if (i > 0 && i % APPLY_SLICE === 0) await new Promise((r) => setImmediate(r));
    const q = quotes[i]!;
    const service = serviceOf.get(q.symbol);
    const spec = service ? serviceSpec(dialect, service) : undefined;
    if (!service || !spec) continue;
    // Only the fields this service streams: the row then looks as the stream will leave it.
    let known = knownOf.get(service);
    if (!known) knownOf.set(service, (known = new Set(spec.fields.map((f) => f?.name))));
    const fields: Record<string, FieldValue> = {};
    for (const [name, value] of Object.entries(q.fields)) if (known.has(name)) fields[name] = value;
    engine.applySnapshot(service, q.symbol, fields, q.ts ?? Date.now());
    filled++;
  }
  return filled;
}
