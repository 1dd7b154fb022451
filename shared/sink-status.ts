/**
 * What the app's PostgreSQL sink is doing, as the status bar and Settings show it. The target is
 * the URL as pg-url.ts displays it (password masked): the password never crosses to a window.
 */
import * as v from 'valibot';

export const SINK_STATES = ['off', 'waiting', 'starting', 'shipping', 'failing', 'stopped'] as const;
export type SinkState = (typeof SINK_STATES)[number];

export const SinkStatusSchema = v.object({
  /**
   * off: no URL or switched off; waiting: on, but nothing is being recorded; starting; shipping;
   * failing: the server cannot be reached or refused (the sink retries on its own); stopped: the
   * sink could not start or its thread ended (`detail` says why; it starts again with the next file
   * or setting change).
   */
  state: v.picklist(SINK_STATES),
  /** The URL with its password masked, or null when none is set. */
  target: v.nullable(v.string()),
  /** The database file being shipped. */
  file: v.nullable(v.string()),
  /** The file's recorder id: its rows' `recorder_id` in PostgreSQL. */
  recorderId: v.nullable(v.string()),
  /** Why it is failing or stopped; a table not shipped. */
  detail: v.nullable(v.string()),
  /** Rows shipped since this file's sink started. */
  shippedRows: v.number(),
  /** Rows committed to the file and not in PostgreSQL yet, as last counted (null: not counted yet). */
  behindRows: v.nullable(v.number()),
  lastShippedAt: v.nullable(v.number()),
});
export type SinkStatus = v.InferOutput<typeof SinkStatusSchema>;
