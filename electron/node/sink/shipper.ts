/**
 * Ships a recorder's committed SQLite rows to PostgreSQL, table by table, in rowid order. Each
 * batch is one PostgreSQL transaction: a binary COPY of the rows and the move of that table's
 * high-water mark in `tapedeck_ship_hwm`, made only if the mark is still where this shipper read
 * it. So a row lands exactly once: a crash or a lost connection before COMMIT leaves the mark (and
 * the rows) as they were, after COMMIT both have moved, and after any failure the marks are read
 * again from PostgreSQL, which alone says what was shipped. Two shippers of the same file cannot
 * both move a mark: the second one's transaction rolls back and it re-reads.
 *
 * `run` follows a live recording (polling SQLite's data_version, retrying with backoff while the
 * server is away); `drain` ships what is there and returns (`tapedeck ship`).
 */
import pg from 'pg';
import { from as copyFrom } from 'pg-copy-streams';
import { COPY_HEADER, COPY_TRAILER, encodeCopy, encodeTuples, type SqliteValue } from './copy-encoder.js';
import { DAY_MS, MAX_PARTITION_TIME, ensureHwmTable, ensurePartitions, ensureTable, hasTimescale, HWM_TABLE, TableMismatchError, type PgTableState } from './pg-schema.js';
import type { PgTarget } from './pg-url.js';
import { encodeJsonRows } from './json-tuples.js';
import { recorderIdOf } from './recorder-id.js';
import { quote, SqliteSource, type SourceTable } from './sqlite-source.js';

/** Rows of one table per COPY transaction: ~5–10 MB, a few tens of ms of server time. */
export const BATCH_ROWS = 20_000;
/** How often a caught-up shipper looks for new commits (a `PRAGMA data_version`). */
export const POLL_MS = 50;
export const RETRY_FIRST_MS = 250;
export const RETRY_MAX_MS = 5_000;
/** Rows read and encoded between yields to the event loop, so a COPY in flight keeps moving. */
const READ_SLICE_ROWS = 2_000;
/** Rows of one table per pass before the others get their turn. */
const MAX_PASS_ROWS = 200_000;
/** Rows of a table that is updated in place (sessions) read at once: such tables stay small. */
const UPSERT_READ_LIMIT = 1_000_000;

export interface Shipment {
  table: string;
  rows: number;
  /** The table's high-water mark after this batch (a SQLite rowid). */
  lastId: number;
  /** The smallest received_at of the batch (ms), when the table has one: what lag is measured from. */
  oldestTime: number | null;
  /** Values PostgreSQL's column types could not hold as stored (copy-encoder.ts). */
  coerced: number;
  committedAt: number;
}

export type SinkNotice =
  | { kind: 'failing'; message: string }
  | { kind: 'recovered'; failures: number; downMs: number }
  | { kind: 'table-skipped'; table: string; reason: string };

export interface ShipperOptions {
  onShipped?: (s: Shipment) => void;
  onNotice?: (n: SinkNotice) => void;
  batchRows?: number;
}

/** One COPY's worth of rows, encoded. */
interface Batch {
  parts: Buffer[];
  rows: number;
  lastId: number;
  oldestTime: number | null;
  days: Set<number>;
  coerced: number;
}

interface TableState {
  source: SourceTable;
  hwm: number;
  pg: PgTableState | null;
  /** Why it is not shipped (a column of another type in PostgreSQL), once found. */
  refused: string | null;
  /** An in-place table's rows as last shipped: unchanged rows are not sent again. */
  lastUpsert: string | null;
}

const sleep = (ms: number, signal?: AbortSignal) =>
  new Promise<void>((resolve) => {
    if (signal?.aborted) return resolve();
    const t = setTimeout(done, ms);
    function done() {
      clearTimeout(t);
      signal?.removeEventListener('abort', done);
      resolve();
    }
    signal?.addEventListener('abort', done, { once: true });
  });

export class Shipper {
  private client: pg.Client | null = null;
  private clientBroken = false;
  private timescale = false;
  private readonly tables = new Map<string, TableState>();
  private readonly skipped = new Set<string>();
  /** Set by a commit seen in SQLite; cleared by a pass that found every table caught up. */
  private dirty = true;
  readonly shippedRows = new Map<string, number>();

  private constructor(
    private readonly source: SqliteSource,
    readonly target: PgTarget,
    readonly recorderId: string,
    private readonly opts: ShipperOptions,
  ) {}

  /** Opens the SQLite file read-only and finds (or gives it) its recorder id. Connects to nothing yet. */
  static open(dbPath: string, target: PgTarget, opts: ShipperOptions = {}): Shipper {
    const source = SqliteSource.open(dbPath);
    try {
      return new Shipper(source, target, recorderIdOf(dbPath, source), opts);
    } catch (err) {
      source.close();
      throw err;
    }
  }

  /** Connects, makes the high-water-mark table and reads this recorder's marks. */
  async connect(): Promise<void> {
    const client = new pg.Client({ connectionString: this.target.connectionString, connectionTimeoutMillis: 10_000, keepAlive: true, application_name: 'tapedeck sink' });
    // A connection lost while idle is an 'error' event: without a listener it would end the process.
    client.on('error', () => {
      this.clientBroken = true;
    });
    this.clientBroken = false;
    try {
      await client.connect();
      await client.query("SET synchronous_commit = 'on'");
      await ensureHwmTable(client);
      this.timescale = await hasTimescale(client);
    } catch (err) {
      await client.end().catch(() => undefined);
      throw err;
    }
    this.client = client;
    await this.loadMarks();
  }

  async disconnect(): Promise<void> {
    const c = this.client;
    this.client = null;
    for (const t of this.tables.values()) t.pg = null;
    await c?.end().catch(() => undefined);
  }

  /** Closes the PostgreSQL connection and the SQLite file. */
  async close(): Promise<void> {
    await this.disconnect();
    this.source.close();
  }

  /**
   * One turn over every table: at most one batch each. Returns the rows shipped (0: caught up).
   * Throws on a PostgreSQL failure; the marks are then read again at the next connect.
   */
  async pass(): Promise<number> {
    const client = this.requireClient();
    if (this.source.changed()) this.dirty = true;
    if (!this.dirty) return 0;
    if (this.source.schemaChanged()) this.discover();
    let shipped = 0;
    for (const t of this.tables.values()) {
      if (t.refused) continue;
      shipped += t.source.mode === 'append' ? await this.shipAppend(client, t) : await this.shipUpsert(client, t);
    }
    if (shipped === 0) this.dirty = false;
    return shipped;
  }

  /**
   * Makes the table ready in PostgreSQL before its first batch (so empty SQLite tables make none).
   * False when it cannot be shipped, said once.
   */
  private async prepareTable(client: pg.Client, t: TableState): Promise<boolean> {
    if (t.pg) return true;
    try {
      t.pg = await ensureTable(client, t.source, this.timescale);
    } catch (err) {
      if (!(err instanceof TableMismatchError)) throw err;
      t.refused = err.message;
      this.opts.onNotice?.({ kind: 'table-skipped', table: t.source.name, reason: err.message });
      return false;
    }
    await client.query(`INSERT INTO ${HWM_TABLE} (recorder_id, table_name, last_id) VALUES ($1, $2, 0) ON CONFLICT DO NOTHING`, [this.recorderId, t.source.name]);
    return true;
  }

  /** Ships until every table is caught up with what SQLite holds now; connects first if needed. */
  async drain(): Promise<void> {
    if (!this.client) await this.connect();
    this.dirty = true;
    while ((await this.pass()) > 0) {
      /* next turn */
    }
  }

  /**
   * Follows the recording until `signal` aborts, then drains for at most `drainMs` more. While the
   * server cannot be reached it retries with backoff, reporting once when it starts failing and
   * once when it recovers. Resolves with whether everything committed to SQLite was shipped.
   */
  async run(signal: AbortSignal, drainMs: number | (() => number)): Promise<boolean> {
    let failures = 0;
    let failingSince = 0;
    let backoff = RETRY_FIRST_MS;
    let deadline = Infinity;
    for (;;) {
      if (signal.aborted && deadline === Infinity) {
        deadline = Date.now() + (typeof drainMs === 'number' ? drainMs : drainMs());
        this.dirty = true;
      }
      if (Date.now() > deadline) return false;
      try {
        if (!this.client || this.clientBroken) {
          await this.disconnect();
          await this.connect();
        }
        const shipped = await this.pass();
        if (failures > 0) {
          this.opts.onNotice?.({ kind: 'recovered', failures, downMs: Date.now() - failingSince });
          failures = 0;
          backoff = RETRY_FIRST_MS;
        }
        if (shipped === 0) {
          if (signal.aborted) return true;
          await sleep(POLL_MS, signal);
        }
      } catch (err) {
        if (failures++ === 0) {
          failingSince = Date.now();
          this.opts.onNotice?.({ kind: 'failing', message: describePgError(err, this.target) });
        }
        await this.disconnect();
        // Until stop, a stop cuts the wait short; while draining, the backoff still holds.
        await sleep(Math.min(backoff, Math.max(0, deadline - Date.now())), signal.aborted ? undefined : signal);
        backoff = Math.min(backoff * 2, RETRY_MAX_MS);
      }
    }
  }

  /** Rows committed to SQLite that are not shipped yet, by table (0s left out). */
  behind(): Map<string, number> {
    const out = new Map<string, number>();
    if (this.tables.size === 0) this.discover();
    for (const t of this.tables.values()) {
      if (t.source.mode !== 'append' || t.refused) continue;
      const n = this.source.countAfter(t.source, t.hwm);
      if (n > 0) out.set(t.source.name, n);
    }
    return out;
  }

  private requireClient(): pg.Client {
    if (!this.client || this.clientBroken) throw new Error('the connection to PostgreSQL was lost');
    return this.client;
  }

  private discover(): void {
    const { ship, skipped } = this.source.tables();
    for (const s of skipped) {
      if (this.skipped.has(s.name)) continue;
      this.skipped.add(s.name);
    }
    for (const source of ship) {
      const known = this.tables.get(source.name);
      if (known && sameShape(known.source, source)) continue;
      // New, or its columns changed: (re)checked against PostgreSQL before its next batch.
      this.tables.set(source.name, { source, hwm: known?.hwm ?? 0, pg: null, refused: null, lastUpsert: null });
    }
  }

  private async loadMarks(): Promise<void> {
    const r = await this.requireClient().query<{ table_name: string; last_id: string }>(`SELECT table_name, last_id FROM ${HWM_TABLE} WHERE recorder_id = $1`, [this.recorderId]);
    const marks = new Map(r.rows.map((m) => [m.table_name, Number(m.last_id)]));
    this.discover();
    for (const t of this.tables.values()) {
      t.hwm = marks.get(t.source.name) ?? 0;
      t.lastUpsert = null;
    }
    this.dirty = true;
  }

  /**
   * Ships up to MAX_PASS_ROWS of an append-only table. The next batch is read and encoded while
   * the server works on the current one (prepare yields between slices, so the COPY's messages
   * keep moving): SQLite, the encoder and PostgreSQL then share the time instead of taking turns.
   */
  private async shipAppend(client: pg.Client, t: TableState): Promise<number> {
    const limit = this.opts.batchRows ?? BATCH_ROWS;
    let batch = await this.prepare(t, t.hwm, limit);
    if (!batch || !(await this.prepareTable(client, t))) return 0;
    let shipped = 0;
    while (batch) {
      const b: Batch = batch;
      if (t.pg!.layout === 'partitioned') await ensurePartitions(client, t.source.name, t.pg!, b.days);
      const committing = this.inTransaction(client, t, b.lastId, async () => {
        await copy(client, `COPY ${quote(t.source.name)} (${this.columnList(t)}) FROM STDIN (FORMAT binary)`, b.parts);
      });
      const more = b.rows === limit && shipped + b.rows < MAX_PASS_ROWS;
      const [moved, next] = await Promise.all([committing, more ? this.prepare(t, b.lastId, limit) : null]);
      if (!moved) break;
      shipped += b.rows;
      this.shipped(t, { table: t.source.name, rows: b.rows, lastId: b.lastId, oldestTime: b.oldestTime, coerced: b.coerced, committedAt: Date.now() });
      batch = next;
    }
    return shipped;
  }

  /** Reads and encodes up to `limit` rows after `after`, in slices with a yield between them. */
  private async prepare(t: TableState, after: number, limit: number): Promise<Batch | null> {
    const types = t.source.columns.map((c) => c.type);
    const timeAt = t.source.timeColumn === null ? -1 : t.source.columns.findIndex((c) => c.name === t.source.timeColumn);
    const batch: Batch = { parts: [COPY_HEADER], rows: 0, lastId: after, oldestTime: null, days: new Set(), coerced: 0 };
    const json = this.source.readsAsJson(t.source);
    while (batch.rows < limit) {
      const want = Math.min(READ_SLICE_ROWS, limit - batch.rows);
      if (json) {
        const text = this.source.jsonRows(t.source, batch.lastId, want);
        if (text === null) break;
        const encoded = encodeJsonRows(types, text, this.recorderId, timeAt);
        batch.parts.push(encoded.data);
        batch.coerced += encoded.coerced;
        batch.rows += encoded.rows;
        batch.lastId = encoded.lastId;
        if (encoded.oldestTime !== null && (batch.oldestTime === null || encoded.oldestTime < batch.oldestTime)) batch.oldestTime = encoded.oldestTime;
        for (const d of encoded.days) batch.days.add(d);
        if (encoded.rows < want) break;
        await new Promise((r) => setImmediate(r));
        continue;
      }
      const rows = this.source.read(t.source, batch.lastId, want);
      if (rows.length === 0) break;
      const encoded = encodeTuples(types, rows, this.recorderId);
      batch.parts.push(encoded.data);
      batch.coerced += encoded.coerced;
      batch.rows += rows.length;
      batch.lastId = rows[rows.length - 1]![0] as number;
      if (timeAt >= 0) {
        const o = oldest(rows, timeAt);
        if (o !== null && (batch.oldestTime === null || o < batch.oldestTime)) batch.oldestTime = o;
        for (const d of daysOf(rows, timeAt)) batch.days.add(d);
      }
      if (rows.length < want) break;
      await new Promise((r) => setImmediate(r));
    }
    if (batch.rows === 0) return null;
    batch.parts.push(COPY_TRAILER);
    return batch;
  }

  /** In-place tables: rows past the mark are upserted; the mark stops before the first row still open. */
  private async shipUpsert(client: pg.Client, t: TableState): Promise<number> {
    const rows = this.source.read(t.source, t.hwm, UPSERT_READ_LIMIT);
    if (rows.length === 0 || !(await this.prepareTable(client, t))) return 0;
    const fingerprint = JSON.stringify(rows, (_k, v: unknown) => (typeof v === 'bigint' ? v.toString() : v));
    if (fingerprint === t.lastUpsert) return 0;
    const openAt = t.source.columns.findIndex((c) => c.name === t.source.openColumn);
    const firstOpen = rows.find((r) => r[openAt] === null);
    const lastId = firstOpen ? (firstOpen[0] as number) - 1 : (rows[rows.length - 1]![0] as number);
    const encoded = encodeCopy(
      t.source.columns.map((c) => c.type),
      rows,
      this.recorderId,
    );
    const name = quote(t.source.name);
    const cols = this.columnList(t);
    const updates = t.source.columns.slice(1).map((c) => `${quote(c.name)} = excluded.${quote(c.name)}`);
    const moved = await this.inTransaction(client, t, lastId, async () => {
      await client.query(`CREATE TEMP TABLE tapedeck_upsert (LIKE ${name}) ON COMMIT DROP`);
      await copy(client, `COPY tapedeck_upsert (${cols}) FROM STDIN (FORMAT binary)`, encoded.data);
      await client.query(
        `INSERT INTO ${name} (${cols}) SELECT ${cols} FROM tapedeck_upsert ON CONFLICT (recorder_id, ${quote(t.source.idColumn)}) ` +
          (updates.length > 0 ? `DO UPDATE SET ${updates.join(', ')}` : 'DO NOTHING'),
      );
    });
    if (!moved) return 0;
    t.lastUpsert = fingerprint;
    this.shipped(t, { table: t.source.name, rows: rows.length, lastId, oldestTime: null, coerced: encoded.coerced, committedAt: Date.now() });
    return rows.length;
  }

  /**
   * Runs `body` and moves the table's mark from t.hwm to `lastId` in one transaction. False (and
   * rolled back, marks re-read) when another shipper moved the mark first.
   */
  private async inTransaction(client: pg.Client, t: TableState, lastId: number, body: () => Promise<void>): Promise<boolean> {
    await client.query('BEGIN');
    try {
      await body();
      const r = await client.query(`UPDATE ${HWM_TABLE} SET last_id = $3, shipped_at = now() WHERE recorder_id = $1 AND table_name = $2 AND last_id = $4`, [
        this.recorderId,
        t.source.name,
        lastId,
        t.hwm,
      ]);
      if (r.rowCount !== 1) {
        await client.query('ROLLBACK');
        await this.loadMarks();
        return false;
      }
      await client.query('COMMIT');
    } catch (err) {
      if (!this.clientBroken) await client.query('ROLLBACK').catch(() => undefined);
      throw err;
    }
    t.hwm = lastId;
    return true;
  }

  private shipped(t: TableState, s: Shipment): void {
    this.shippedRows.set(t.source.name, (this.shippedRows.get(t.source.name) ?? 0) + s.rows);
    this.opts.onShipped?.(s);
  }

  private columnList(t: TableState): string {
    return ['recorder_id', ...t.source.columns.map((c) => c.name)].map(quote).join(', ');
  }
}

function copy(client: pg.Client, sql: string, data: Buffer | Buffer[]): Promise<void> {
  return new Promise((resolve, reject) => {
    const stream = client.query(copyFrom(sql));
    stream.on('error', reject);
    stream.on('finish', () => resolve());
    const parts = Array.isArray(data) ? data : [data];
    for (let i = 0; i < parts.length - 1; i++) stream.write(parts[i]);
    stream.end(parts[parts.length - 1]);
  });
}

function sameShape(a: SourceTable, b: SourceTable): boolean {
  return a.mode === b.mode && a.columns.length === b.columns.length && a.columns.every((c, i) => c.name === b.columns[i]!.name && c.type === b.columns[i]!.type);
}

function oldest(rows: SqliteValue[][], at: number): number | null {
  let min = Infinity;
  for (const r of rows) {
    const v = r[at];
    if (typeof v === 'number' && v < min) min = v;
  }
  return min === Infinity ? null : min;
}

function daysOf(rows: SqliteValue[][], at: number): Set<number> {
  const days = new Set<number>();
  for (const r of rows) {
    const v = r[at];
    if (typeof v === 'number' && Number.isInteger(v) && v >= 0 && v < MAX_PARTITION_TIME) days.add(Math.floor(v / DAY_MS));
  }
  return days;
}

/** One line for a PostgreSQL failure, naming the server without its password. */
export function describePgError(err: unknown, target: PgTarget): string {
  const e = err as { code?: string; message?: string };
  const message = (e.message ?? String(err)).replaceAll(target.connectionString, target.display);
  switch (e.code) {
    case 'ECONNREFUSED':
      return `cannot reach ${target.display}: connection refused`;
    case 'ENOTFOUND':
    case 'EAI_AGAIN':
      return `cannot reach ${target.display}: no such host`;
    default:
      return `${target.display}: ${message}`;
  }
}
