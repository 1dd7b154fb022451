/**
 * Writes docs/database.md from the schema the recorder creates, so the documented contract cannot
 * drift from the code. `npx tsx scripts/gen-db-docs.ts` rewrites it; a test checks it is current.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { allServices } from '../shared/protocol/services.js';
import { BLOCK_BYTES } from '../electron/node/recorder/frame-block.js';
import { ALERT_COLUMNS, CRASH_END_REASON, FRAME_FLAGS, LEADING, META_COLUMNS, SCHEMA_VERSION, SERVICE_TABLES } from '../electron/node/recorder/schema.js';

export function databaseDoc(): string {
  const out: string[] = [];
  const dialectsOf = (table: string) =>
    [...new Set(allServices().filter((s) => s.name.toLowerCase() === table).map((s) => s.dialect))].join(', ');
  out.push('# Tapedeck database', '');
  out.push(`Generated from the recorder's schema by \`scripts/gen-db-docs.ts\` (schema version ${SCHEMA_VERSION}). Do not edit by hand.`, '');
  out.push('One SQLite file in WAL mode (or one per trading day with `record --rotate daily`; files created by schema 3 or later use');
  out.push('incremental auto-vacuum, so retention gives freed pages back to the disk). Times are milliseconds since the Unix epoch (UTC). Field columns are the');
  out.push('reference field names in snake_case; a NULL in a service table means the field was not in that update.');
  out.push('Level-one services deliver deltas: the first update of a key carries every field that has a value, later');
  out.push('ones only what changed, so use `<service>_latest` (or carry values forward) for the full picture.', '');
  out.push('Delta tables have no secondary indexes, so that inserts run at full speed. For analysis, add what your');
  out.push('queries need to a copy, e.g. `CREATE INDEX levelone_equities_key_ts ON levelone_equities (key, ts);`.', '');
  out.push('## Fixed tables', '');
  out.push('| table | columns |', '| --- | --- |');
  out.push('| `meta` | `key` TEXT PRIMARY KEY, `value` TEXT — holds `schema_version`, `created_at`, and once retention has removed frames `last_frame_id` (so ids never repeat) |');
  out.push(`| \`sessions\` | \`id\`, \`provider\`, \`dialect\`, \`url\`, \`started_at\`, \`ended_at\`, \`end_reason\` — one row per streamer connection; a row a killed process left open is ended by the next recorder to open the file, at its last frame, with \`end_reason\` '${CRASH_END_REASON}' |`);
  out.push('| `frames` | `id`, `session_id`, `received_at`, `text` TEXT, `data` BLOB, `flags` INTEGER — the newest frames, exactly as received, stored before they are decoded |');
  out.push(`| \`frame_blocks\` | \`id\` (its first frame's id), \`last_id\`, \`session_id\`, \`count\`, \`received_from\`, \`received_to\`, \`codec\`, \`payload\` BLOB — older frames, compressed about ${Math.round(BLOCK_BYTES / 1024)} KB at a time |`);
  out.push("| `price_history` | `symbol`, `frequency` ('1m', '5m', '15m', '1d'), `datetime` (the candle's start), `open`, `high`, `low`, `close`, `volume`, `source` ('rest'), `fetched_at` — candles fetched over REST for the app's chart, PRIMARY KEY (`symbol`, `frequency`, `datetime`), a later fetch replacing a row |");
  out.push('| `recording_pauses` | `id`, `session_id` → `sessions.id` (NULL between connections), `paused_at`, `resumed_at` (NULL: the run ended paused) — each time recording was paused in the app; the connection and its `sessions` row go on, and no frame is archived until it resumes |');
  out.push(`| \`alerts\` | \`id\`, ${ALERT_COLUMNS.map((c) => `\`${c.name}\` ${c.type}`).join(', ')} — one row per alert firing: the rule (copied, and as text in the alert grammar), the value that fired it, and the update that did (\`received_at\`, \`frame_id\` → \`frames.id\`) |`, '');
  out.push('Service tables (below) are created when their first row arrives: a file has tables only for the services');
  out.push('recorded into it. `tapedeck export --format csv` writes the header alone for one that does not exist yet.', '');
  out.push('## Frames', '');
  out.push('Every frame received is archived, with ids that only grow (service rows point at them by `frame_id`).');
  out.push('A commit puts its frames in `frames`; when the recorder has time (after a small commit, and when it closes)');
  out.push('it moves the oldest of them, consecutive frames of one session, into one `frame_blocks` row: the');
  out.push('compression (`codec` 2: brotli; 1: deflate-raw, in blocks a schema-3 recorder wrote) of an index — per frame');
  out.push('three unsigned LEB128 varints, `flags × 2 + (1 if stored as bytes)`, `received_at − received_from` and the');
  out.push('byte length — followed by the frames\' bytes. The move is one');
  out.push('transaction, so a frame is in one place or the other. Under a load the recorder only just keeps up with, frames');
  out.push('wait in `frames` until a quieter moment. `tapedeck replay`, the CSV export of `frames` (`tapedeck export`) and the app\'s');
  out.push('CSV export read both, in id order, as if one table held them.', '');
  out.push('A frame is archived as text when it is valid UTF-8 text (nearly always); otherwise `text` is NULL and its');
  out.push('bytes are in `data`. `flags` is a sum of these bits (0 for an ordinary frame):', '');
  out.push('| bit | name | meaning |', '| --- | --- | --- |');
  const meaning: Record<keyof typeof FRAME_FLAGS, string> = {
    binary: 'a binary WebSocket frame; its bytes are in `data`; never decoded',
    notUtf8: 'a text frame whose bytes are not valid UTF-8; its bytes are in `data`; decoded with U+FFFD for the invalid bytes',
    repairedText: 'decoded strings held lone surrogates (JSON escapes such as `\\ud800`); the service tables have U+FFFD in their place, so every TEXT column is valid UTF-8',
    notDecoded: 'a text frame that was not decoded into the service tables: not JSON, over the size limit, or the decoder failed',
  };
  for (const [name, bit] of Object.entries(FRAME_FLAGS) as [keyof typeof FRAME_FLAGS, number][]) out.push(`| ${bit} | \`${name}\` | ${meaning[name]} |`);
  out.push('');
  out.push('For example, `tapedeck export --db FILE --format csv --table frames --out frames.csv` lists every frame with its flags. A');
  out.push('file of schema version 1 gains `data` and `flags` (0 for its frames) when a recorder next opens it; the frames');
  out.push('of a file of schema version 2 stay in `frames` and are moved into blocks as the recorder finds time; the');
  out.push('deflate-raw blocks of a file of schema version 3 stay as they are, and its new blocks are brotli.', '');
  out.push('## Columns every service table starts with', '');
  out.push('`id` INTEGER PRIMARY KEY, ' + LEADING.map((c) => `\`${c.name}\` ${c.type}`).join(', ') + '.', '');
  out.push('`frame_id` is the id of the frame the row came from; `ts` is the server time of the data entry; `seq`, `delayed`,');
  out.push('`asset_main_type`, `asset_sub_type` and `cusip` are the item attributes the server sends beside the');
  out.push('numbered fields (usually only on a key\'s first update).', '');
  out.push(`\`<service>_latest\` tables: \`key\` TEXT PRIMARY KEY, \`updated_at\` (receive time), \`ts\`, ${META_COLUMNS.map((c) => `\`${c.name}\``).join(', ')}, then the same field columns, merged.`, '');
  out.push('## Service tables', '');
  for (const t of [...SERVICE_TABLES.values()].sort((a, b) => a.table.localeCompare(b.table))) {
    out.push(`### \`${t.table}\` (${dialectsOf(t.table)}; ${t.merges ? 'deltas, merged in `_latest`' : 'each update complete'})`, '');
    out.push(t.fields.map((c) => `\`${c.name}\` ${c.type}`).join(', ') || '(no field columns)', '');
    if (t.child) {
      out.push(`Child table \`${t.child.table}\`: ${t.child.columns.map((c) => `\`${c.name}\` ${c.type}`).join(', ')}. \`update_id\` points at \`${t.table}.id\`.`, '');
    }
  }
  return out.join('\n');
}

if (process.argv[1] && fileURLToPath(import.meta.url) === process.argv[1]) {
  writeFileSync(new URL('../docs/database.md', import.meta.url), databaseDoc());
}
