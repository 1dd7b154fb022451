/**
 * Export downloads of browser mode: GET /exports/<name> streams a file the host wrote into the
 * exports folder. The name is checked as raw request text before any path is built: export names
 * are made of [A-Za-z0-9_.-] (safeExportName), so nothing needs decoding and no spelling of '.',
 * '..' or '/' can pass. Only a regular file is served (lstat: never a folder or a link), and read
 * errors end the response; they never reach the process.
 */
import { constants } from 'node:fs';
import { lstat, open } from 'node:fs/promises';
import type { ServerResponse } from 'node:http';
import { join } from 'node:path';
import { pipeline } from 'node:stream';

const NAME = /^[A-Za-z0-9_][A-Za-z0-9_.-]{0,200}$/;

/** The file name an export is saved under: safe characters only, never starting with a dot. */
export function safeExportName(suggested: string): string {
  const base = suggested.split(/[\\/]/).pop() ?? '';
  return (base.replace(/[^\w.-]/g, '_').replace(/^[.-]/, '_') || 'export').slice(0, 200);
}

/** The export name in a request path segment, or null when it is not one we could have written. */
export function exportNameFromPath(rawSegment: string): string | null {
  return NAME.test(rawSegment) ? rawSegment : null;
}

/** Serves an export; `onComplete` is told its name once the whole file has been sent. */
export async function sendExport(
  res: ServerResponse,
  exportsDir: string,
  rawSegment: string,
  headers: Record<string, string>,
  onComplete?: (name: string) => void,
): Promise<void> {
  const name = exportNameFromPath(rawSegment);
  const path = name === null ? null : join(exportsDir, name);
  const stat = path === null ? null : await lstat(path).catch(() => null);
  if (path === null || name === null || !stat?.isFile()) {
    res.writeHead(404, headers).end();
    return;
  }
  // O_NOFOLLOW: a link swapped in after the lstat is refused, not followed (0 on Windows).
  const file = await open(path, constants.O_RDONLY | (constants.O_NOFOLLOW ?? 0)).catch(() => null);
  if (!file) {
    res.writeHead(404, headers).end();
    return;
  }
  res.writeHead(200, {
    ...headers,
    'Content-Type': name.endsWith('.csv') ? 'text/csv; charset=utf-8' : 'application/vnd.sqlite3',
    'Content-Length': String(stat.size),
    'Content-Disposition': `attachment; filename="${name}"`,
  });
  // pipeline closes the file and the response on any error; the error itself is only the client's loss.
  pipeline(file.createReadStream(), res, (err) => {
    if (!err) onComplete?.(name);
  });
}
