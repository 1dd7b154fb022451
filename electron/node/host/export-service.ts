/**
 * Exports of the recording: a consistent copy of the database (while recording carries on) and
 * CSV of one table. Where the file goes is the platform's choice: a save dialog in Electron, a
 * download URL in browser mode.
 */
import { existsSync } from 'node:fs';
import type { ExportResult, Handlers } from '../../../shared/api.js';
import { exportCsv, exportDatabase } from '../recorder/export.js';
import { listTables } from '../recorder/frames.js';
import type { EventBus } from './event-bus.js';

/** Where an export goes (null: the user cancelled). `location` is what the user is told: a path or a URL. */
export type ChooseExportTarget = (suggestedName: string) => Promise<{ path: string; location: string } | null>;

const NOTHING_YET: ExportResult = { ok: false, location: null, message: 'Nothing has been recorded yet.' };
const CANCELLED: ExportResult = { ok: false, location: null, message: 'Export cancelled.' };

export class ExportService {
  constructor(
    private readonly dbPath: () => string,
    private readonly chooseTarget: ChooseExportTarget,
    private readonly bus: EventBus,
  ) {}

  readonly handlers: Pick<Handlers, 'export:database' | 'export:csv' | 'db:tables'> = {
    'export:database': async () => {
      const db = this.dbPath();
      if (!existsSync(db)) return NOTHING_YET;
      const stamp = new Date().toISOString().slice(0, 16).replace(/[-:T]/g, '');
      const target = await this.chooseTarget(`tapedeck-${stamp}.db`);
      if (!target) return CANCELLED;
      this.bus.emit('export:progress', { fraction: 0, done: false });
      // The save dialog has asked about replacing a file (browser mode names its own), so an existing one is replaced.
      await exportDatabase(db, target.path, {
        overwrite: true,
        onProgress: (p) => {
          if (p.totalPages > 0) this.bus.emit('export:progress', { fraction: (p.totalPages - p.remainingPages) / p.totalPages, done: false });
        },
      });
      this.bus.emit('export:progress', { fraction: 1, done: true });
      return { ok: true, location: target.location, message: `Exported the database to ${target.location}` };
    },
    'export:csv': async ({ table, from, to, key }) => {
      const db = this.dbPath();
      if (!existsSync(db)) return NOTHING_YET;
      const only = key === '' ? undefined : key;
      const target = await this.chooseTarget(`${table}${only ? `-${only.replace(/[^\w]/g, '_')}` : ''}.csv`);
      if (!target) return CANCELLED;
      const { rows } = await exportCsv(db, { table, out: target.path, from, to, key: only });
      return { ok: true, location: target.location, rows, message: `Exported ${rows} rows of ${table}` };
    },
    'db:tables': async () => {
      const db = this.dbPath();
      return existsSync(db) ? listTables(db) : [];
    },
  };
}
