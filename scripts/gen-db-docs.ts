/**
 * Writes docs/database.md from the schema the recorder creates, so the documented contract cannot
 * drift from the code. `npx tsx scripts/gen-db-docs.ts` rewrites it; a test checks it is current.
 */
import { writeFileSync } from 'node:fs';
import { fileURLToPath } from 'node:url';
import { allServices } from '../shared/protocol/services.js';
import { ALERT_COLUMNS, CRASH_END_REASON, FRAME_FLAGS, LEADING, META_COLUMNS, SCHEMA_VERSION, SERVICE_TABLES } from '../electron/node/recorder/schema.js';

export function databaseDoc(): string {
  const out: string[] = [];
  const dialectsOf = (table: string) =>
    [...new Set(allServices().filter((s) => s.name.toLowerCase() === table).map((s) => s.dialect))].join(', ');
  out.push('# Tapedeck database', '');
  out.push(`Generated from the recorder's schema by \`scripts/gen-db-docs.ts\` (schema version ${SCHEMA_VERSION}). Do not edit by hand.`, '');
  out.push('One SQLite file in WAL mode. Times are milliseconds since the Unix epoch (UTC). Field columns are the');
  out.push('reference field names in snake_case; a NULL in a service table means the field was not in that update.');
  out.push('Level-one services deliver deltas: the first update of a key carries every field that has a value, later');
  out.push('ones only what changed, so use `<service>_latest` (or carry values forward) for the full picture.', '');
  out.push('Delta tables have no secondary indexes, so that inserts run at full speed. For analysis, add what your');
  out.push('queries need to a copy, e.g. `CREATE INDEX levelone_equities_key_ts ON levelone_equities (key, ts);`.', '');
  out.push('## Fixed tables', '');
  out.push('| table | columns |', '| --- | --- |');
  out.push('| `meta` | `key` TEXT PRIMARY KEY, `value` TEXT — holds `schema_version` and `created_at` |');
  out.push(`| \`sessions\` | \`id\`, \`provider\`, \`dialect\`, \`url\`, \`started_at\`, \`ended_at\`, \`end_reason\` — one row per streamer connection; a row a killed process left open is ended by the next recorder to open the file, at its last frame, with \`end_reason\` '${CRASH_END_REASON}' |`);
  out.push('| `frames` | `id`, `session_id`, `received_at`, `text` TEXT, `data` BLOB, `flags` INTEGER — every frame received, exactly as received, stored before it is decoded (the archive `replay` reads) |');
  out.push("| `price_history` | `symbol`, `frequency` ('1m', '5m', '15m', '1d'), `datetime` (the candle's start), `open`, `high`, `low`, `close`, `volume`, `source` ('rest'), `fetched_at` — candles fetched over REST for the app's chart, PRIMARY KEY (`symbol`, `frequency`, `datetime`), a later fetch replacing a row |");
  out.push('| `recording_pauses` | `id`, `session_id` → `sessions.id` (NULL between connections), `paused_at`, `resumed_at` (NULL: the run ended paused) — each time recording was paused in the app; the connection and its `sessions` row go on, and no frame is archived until it resumes |');
  out.push(`| \`alerts\` | \`id\`, ${ALERT_COLUMNS.map((c) => `\`${c.name}\` ${c.type}`).join(', ')} — one row per alert firing: the rule (copied, and as text in the alert grammar), the value that fired it, and the update that did (\`received_at\`, \`frame_id\` → \`frames.id\`) |`, '');
  out.push('## Frames', '');
  out.push('A frame is archived in `text` when it is valid UTF-8 text (nearly always); otherwise `text` is NULL and its');
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
  out.push('For example, `SELECT id, data FROM frames WHERE flags & 1` lists the binary frames. A file of schema');
  out.push('version 1 gains `data` and `flags` (0 for its frames) when a recorder next opens it.', '');
  out.push('## Columns every service table starts with', '');
  out.push('`id` INTEGER PRIMARY KEY, ' + LEADING.map((c) => `\`${c.name}\` ${c.type}`).join(', ') + '.', '');
  out.push('`frame_id` points at `frames.id`; `ts` is the server time of the data entry; `seq`, `delayed`,');
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
