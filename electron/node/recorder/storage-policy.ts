/** How a recording is kept on disk: daily files, how long data is kept, the free-space floor. */
export interface StoragePolicy {
  /** 'daily': a file per trading day (America/New_York), named with its date. */
  rotate: 'none' | 'daily';
  /** Data older than this many days is removed (whole files when rotating); null keeps everything. */
  retainDays: number | null;
  /** Recording pauses while the database's disk has less free space than this (MB); 0 turns the guard off. */
  minFreeMb: number;
  /**
   * One typed row per update in the service tables; false keeps the frame archive and the `_latest`
   * rows only (`record --frames-only`), and `replay --out` rebuilds the typed tables from the frames.
   */
  typedRows: boolean;
}

export const DEFAULT_MIN_FREE_MB = 1024;

export function defaultStoragePolicy(): StoragePolicy {
  return { rotate: 'none', retainDays: null, minFreeMb: DEFAULT_MIN_FREE_MB, typedRows: true };
}
