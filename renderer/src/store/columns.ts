/** Saves a watchlist's column layout in the host; this window shows it at once, the others when the host says so. */
import type { ColumnLayout } from '../../../shared/columns.js';
import { attempt } from '../api/instance.js';
import { appStore, setWatchlists } from './app.js';

export async function saveColumns(listId: string, columns: ColumnLayout | null): Promise<void> {
  // Optimistic: a resize or drag must not snap back while the round trip is under way.
  const before = appStore.getState().watchlists;
  const lists = before.map((l) => {
    if (l.id !== listId) return l;
    const { columns: _old, ...rest } = l;
    return columns ? { ...rest, columns } : rest;
  });
  setWatchlists(lists);
  const saved = await attempt('watchlist:set-columns', { id: listId, columns });
  // A refusal was shown by attempt(): the lists go back to what the host last said, unless it has spoken since.
  if (!saved && appStore.getState().watchlists === lists) setWatchlists(before);
}
