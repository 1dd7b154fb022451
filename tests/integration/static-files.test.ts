/** serve's static files (real files): source maps are left out unless asked for. */
import assert from 'node:assert/strict';
import { mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { test } from 'node:test';
import { loadStaticFiles } from '../../electron/node/web/static-files.js';
import { tempDir } from '../helpers/tmp.js';

test('source maps only with sourceMaps: true', (t) => {
  const { dir, cleanup } = tempDir('static');
  t.after(cleanup);
  mkdirSync(join(dir, 'assets'));
  for (const name of ['index.html', 'app.js', 'app.js.map', 'assets/x.css', 'assets/x.css.map']) writeFileSync(join(dir, name), name);
  assert.deepEqual([...loadStaticFiles(dir).keys()].sort(), ['/app.js', '/assets/x.css', '/index.html']);
  assert.deepEqual([...loadStaticFiles(dir, { sourceMaps: true }).keys()].sort(), ['/app.js', '/app.js.map', '/assets/x.css', '/assets/x.css.map', '/index.html']);
});
