/** Saves a watchlist's column layout in the host; this window shows it at once, the others when the host says so. */
import type { ColumnLayout } from '../../../shared/columns.js';
import type { Watchlist } from '../../../shared/watchlist.js';
import { attempt } from '../api/instance.js';
import { appStore, setWatchlists } from './app.js';

/**
 * Layouts saved from this window that the host has not confirmed yet, by list. The host's change
 * events for earlier saves arrive while later ones are under way; applied as they stand they would
 * put an older width back, and the next arrow key would step from it (a held key lost most steps).
 */
const pending = new Map<string, { columns: ColumnLayout | null; seq: number }>();
let seq = 0;

/** The host's lists with this window's unconfirmed layouts kept in place of the ones they replace. */
export function withPendingColumns(lists: Watchlist[]): Watchlist[] {
  if (pending.size === 0) return lists;
  return lists.map((l) => {
    const mine = pending.get(l.id);
    return mine ? withColumns(l, mine.columns) : l;
  });
}

export async function saveColumns(listId: string, columns: ColumnLayout | null): Promise<void> {
  // Optimistic: a resize or drag must not snap back while the round trip is under way.
  const before = appStore.getState().watchlists;
  const lists = before.map((l) => (l.id === listId ? withColumns(l, columns) : l));
  const mine = ++seq;
  pending.set(listId, { columns, seq: mine });
  setWatchlists(lists);
  const saved = await attempt('watchlist:set-columns', { id: listId, columns });
  if (pending.get(listId)?.seq === mine) pending.delete(listId);
  // A refusal was shown by attempt(): the lists go back to what the host last said, unless it has spoken since.
  if (!saved && appStore.getState().watchlists === lists) setWatchlists(before);
}

function withColumns(list: Watchlist, columns: ColumnLayout | null): Watchlist {
  const { columns: _old, ...rest } = list;
  return columns ? { ...rest, columns } : rest;
}
