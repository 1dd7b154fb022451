/** Problem reports stay bounded whatever a server sends (electron/node/engine/problem-log.ts). */
import assert from 'node:assert/strict';
import { test } from 'node:test';
import { BURST_LINES, OTHER_SERVICES, ProblemLog, type ProblemReport, SUMMARY_KIND, UNKNOWN_SERVICE_NAMES } from '../../../electron/node/engine/problem-log.js';

/** A log whose summary timer never fires during the test: summaries are asked for explicitly. */
function log(opts: ConstructorParameters<typeof ProblemLog>[1] = {}) {
  const lines: ProblemReport[] = [];
  const l = new ProblemLog((r) => lines.push(r), { summaryEveryMs: 3_600_000, ...opts });
  return { l, lines };
}

test('a kind is reported the first time and at every power of ten', () => {
  const { l, lines } = log();
  for (let i = 0; i < 1000; i++) l.report({ kind: 'bad-item', detail: 'x', service: 'QUOTE' });
  assert.deepEqual(lines.map((r) => r.count), [1, 10, 100, 1000]);
  assert.equal(l.total, 1000);
  l.stop();
});

test('two million distinct unknown service names: a few counted by name, the rest in one bucket, at most a burst of lines', () => {
  const { l, lines } = log({ isKnownService: (s) => s === 'QUOTE' });
  for (let i = 0; i < 2_000_000; i++) l.report({ kind: 'unknown-service', detail: `unknown service S${i}`, service: `S${i}` });
  l.report({ kind: 'bad-item', detail: 'x', service: 'QUOTE' });
  assert.equal(l.total, 2_000_001);
  assert.ok(lines.length <= BURST_LINES, `${lines.length} lines`);
  const services = new Set(lines.map((r) => r.service));
  // Each of the first names, the bucket, and the known service.
  assert.equal(services.size, UNKNOWN_SERVICE_NAMES + 2);
  assert.ok(services.has(OTHER_SERVICES));
  // The counters do not grow with the names: the bucket holds nearly all of them.
  const bucket = lines.filter((r) => r.service === OTHER_SERVICES).at(-1)!;
  assert.equal(bucket.count, 1_000_000);
  l.stop();
});

test('past the burst, reports are only counted and a periodic summary says how many were not shown', () => {
  const { l, lines } = log();
  for (let k = 0; k < 50; k++) for (let i = 0; i < 200; i++) l.report({ kind: `kind-${k}`, detail: 'x' });
  assert.equal(lines.length, BURST_LINES);
  l.summarize();
  assert.equal(lines.length, BURST_LINES + 1);
  const summary = lines.at(-1)!;
  assert.equal(summary.kind, SUMMARY_KIND);
  assert.equal(summary.count, 10_000);
  assert.match(summary.detail, /^10,000 problems in the last 3600 s/);
  assert.match(summary.detail, /; reports not shown: kind-\d+ \d, .*, 35 more kinds$/);
  // The flood goes on: one summary a period, and no more detailed lines.
  for (let i = 0; i < 1000; i++) l.report({ kind: 'kind-0', detail: 'x' });
  l.summarize();
  assert.equal(lines.length, BURST_LINES + 2);
  // A quiet period restores the burst for the next flood.
  l.summarize();
  l.report({ kind: 'new-kind', detail: 'x' });
  assert.equal(lines.at(-1)!.kind, 'new-kind');
  l.stop();
});

test('details and service names are escaped and cut before they are reported', () => {
  const { l, lines } = log();
  l.report({ kind: 'unknown-service', detail: 'name \x1b]0;owned\x07' + 'y'.repeat(10_000), service: '\x1b[2J' + 'z'.repeat(10_000) });
  assert.doesNotMatch(lines[0]!.detail + lines[0]!.service, /[\x00-\x1f]/);
  assert.ok(lines[0]!.detail.length < 400 && lines[0]!.service!.length < 100);
  l.stop();
});
