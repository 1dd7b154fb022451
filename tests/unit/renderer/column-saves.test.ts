/**
 * Column layouts saved quickly one after another (a held arrow key on a resize handle): the host's
 * change events for the earlier saves arrive while later ones are under way and must not put an
 * older width back in this window.
 */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import type { CommandArg, CommandName, TapedeckApi } from '../../../shared/api.js';
import type { Watchlist } from '../../../shared/watchlist.js';
import { setApi } from '../../../renderer/src/api/instance.js';
import { appStore, setWatchlists } from '../../../renderer/src/store/app.js';
import { saveColumns, withPendingColumns } from '../../../renderer/src/store/columns.js';
import { defaultLayout, setWidth } from '../../../renderer/src/grid/column-layout.js';

/** A host whose answers the test releases one at a time, in order, as a slow host would. */
function slowHost() {
  const waiting: { name: CommandName; arg: unknown; answer: (ok: boolean) => void }[] = [];
  const api: TapedeckApi = {
    invoke: (<K extends CommandName>(name: K, arg: CommandArg<K>) =>
      new Promise((resolve, reject) => waiting.push({ name, arg, answer: (ok) => (ok ? resolve(true as never) : reject(new Error('refused'))) }))) as TapedeckApi['invoke'],
    on: () => () => undefined,
  };
  return { api, waiting };
}

const list = (width?: number): Watchlist => ({ id: 'w1', name: 'One', symbols: ['AAPL'], ...(width === undefined ? {} : { columns: setWidth(defaultLayout(), 'last', width) }) });
const lastWidth = () => appStore.getState().watchlists[0]?.columns?.widths.last;

test("the host's echo of an earlier save does not undo a later one still on its way", async () => {
  const host = slowHost();
  setApi(host.api);
  setWatchlists([list()]);
  const first = saveColumns('w1', setWidth(defaultLayout(), 'last', 100));
  const second = saveColumns('w1', setWidth(defaultLayout(), 'last', 68));
  assert.equal(lastWidth(), 68, 'shown at once');
  // The host applied the first save and says so; the second is still under way.
  setWatchlists(withPendingColumns([list(100)]));
  assert.equal(lastWidth(), 68, 'an echo of the first save kept the second');
  host.waiting[0]!.answer(true);
  await first;
  setWatchlists(withPendingColumns([list(100)]));
  assert.equal(lastWidth(), 68, 'the first answer did not end the wait for the second');
  host.waiting[1]!.answer(true);
  await second;
  // Confirmed: from now on the host's word stands, another window's change included.
  setWatchlists(withPendingColumns([list(140)]));
  assert.equal(lastWidth(), 140);
});

test('a refused save goes back to what the host last said and leaves nothing pending', async () => {
  const host = slowHost();
  setApi(host.api);
  setWatchlists([list(90)]);
  const save = saveColumns('w1', setWidth(defaultLayout(), 'last', 200));
  assert.equal(lastWidth(), 200);
  host.waiting[0]!.answer(false);
  await save;
  assert.equal(lastWidth(), 90);
  setWatchlists(withPendingColumns([list(120)]));
  assert.equal(lastWidth(), 120);
});
