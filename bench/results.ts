/** Benchmark result rows (bench/results.json) and the printed table. */
export type Stage = 'decode' | 'recorder' | 'export' | 'end-to-end' | 'tutorial-baseline' | 'renderer' | 'sink' | 'soak' | 'storage';

export interface ResultRow {
  stage: Stage;
  metric: string;
  value: number;
  unit: string;
  against: string | null;
  against_value: number | null;
}

export function row(stage: Stage, metric: string, value: number, unit: string, against: string | null = null, againstValue: number | null = null): ResultRow {
  const round = (v: number) => (Math.abs(v) >= 100 ? Math.round(v) : Math.round(v * 100) / 100);
  return { stage, metric, value: round(value), unit, against, against_value: againstValue === null ? null : round(againstValue) };
}

export function printTable(rows: ResultRow[]): void {
  const fmt = (v: number | null) => (v === null ? '' : new Intl.NumberFormat('en-US').format(v));
  const table = rows.map((r) => [r.stage, r.metric, `${fmt(r.value)} ${r.unit}`, r.against ?? '', r.against === null ? '' : `${fmt(r.against_value)} ${r.unit}`, ratio(r)]);
  const header = ['stage', 'metric', 'value', 'against', 'against value', 'ratio'];
  const widths = header.map((h, i) => Math.max(h.length, ...table.map((t) => t[i]!.length)));
  const line = (cells: string[]) => cells.map((c, i) => c.padEnd(widths[i]!)).join('  ');
  console.log(line(header));
  console.log(widths.map((w) => '-'.repeat(w)).join('  '));
  for (const t of table) console.log(line(t));
}

function ratio(r: ResultRow): string {
  if (r.against_value === null || r.against_value === 0) return '';
  return `${(r.value / r.against_value).toFixed(2)}×`;
}
